package workroom

// Role is a member's part in a workroom. It decides what they may do there;
// the matrix below is the only place that says so, and every way in (TUI,
// SFTP, email, SSH commands) goes through Service.authorize, which reads it.
type Role string

const (
	RoleClient     Role = "client"
	RoleFreelancer Role = "freelancer"
	RoleTeam       Role = "team"
	RoleGuest      Role = "guest"
)

// Noun names the role in a sentence: "team member" for RoleTeam.
func (r Role) Noun() string {
	if r == RoleTeam {
		return "team member"
	}
	return string(r)
}

// Action is something a member may do in a workroom. Its String is written
// to complete "a guest of this workroom cannot …".
type Action int

const (
	ActionRead         Action = iota // see the room, read messages, download files
	ActionPost                       // post messages (any way in), join meetings
	ActionUpload                     // upload files and versions, edit the to-do list
	ActionDeleteOwn                  // delete files one uploaded
	ActionDeleteAny                  // delete anyone's files
	ActionManagePeople               // add and remove team members and guests
	ActionComplete                   // mark the job complete
)

var actionNames = map[Action]string{
	ActionRead:         "read it",
	ActionPost:         "post messages or join meetings",
	ActionUpload:       "upload files or edit the to-do list",
	ActionDeleteOwn:    "delete files",
	ActionDeleteAny:    "delete files others uploaded",
	ActionManagePeople: "add or remove people",
	ActionComplete:     "mark the job complete",
}

func (a Action) String() string { return actionNames[a] }

// permissions is the matrix from the product specification.
var permissions = map[Role][]Action{
	RoleClient:     {ActionRead, ActionPost, ActionUpload, ActionDeleteOwn, ActionDeleteAny, ActionManagePeople, ActionComplete},
	RoleFreelancer: {ActionRead, ActionPost, ActionUpload, ActionDeleteOwn},
	RoleTeam:       {ActionRead, ActionPost, ActionUpload, ActionDeleteOwn},
	RoleGuest:      {ActionRead, ActionPost},
}

// Can reports whether the role allows the action.
func (r Role) Can(a Action) bool {
	for _, x := range permissions[r] {
		if x == a {
			return true
		}
	}
	return false
}
