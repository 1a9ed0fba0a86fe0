// Package command runs the non-interactive SSH commands
// (`ssh -p 2222 host COMMAND …`) that people and scripts use: signing up,
// keys, jobs, proposals, awards, workrooms and their messages. Every command
// is a thin call into workroom.Service, which decides who may do what; this
// package only parses arguments and prints results.
//
// The command line. The line arrives as one string (the client's shell has
// already removed the user's quotes) and is split once at whitespace, with
// no quoting of its own (line.go). Free text — the TEXT of post, the values
// of --text, --title, --description and --name — is cut from the raw line
// exactly as typed (grammar.go); a line that cannot be read without
// guessing is refused with the way to send the text on stdin. Every number
// is decimal digits only (number.go). Input on stdin counts only when it
// ended cleanly (stdin.go).
//
// Output. Plain output is for people: aligned columns, human times, and
// other people's text (bodies, names, titles) made inert with termsafe,
// through the few functions of display.go. JSON output escapes C1 and bidi
// controls as \uXXXX, so it too is inert if printed undecoded.
// With --json (accepted by every command) a successful command prints
// exactly one JSON object on stdout, whose top-level keys name what it
// holds, using the domain types' JSON tags (a failure prints nothing on
// stdout and its one line on stderr, as without --json):
//
//	a single thing     {"job": {…}}, {"proposal": {…}}, {"room": {…}}, {"message": {…}}, {"user": {…}}
//	a list             {"jobs": […]}, {"proposals": […]}, {"rooms": […]}, {"keys": […]} — never null, [] when empty
//	a page of messages {"messages": […], "before": N} — pass N to --before for the next, older page; "before" is absent on the last page
//	whoami             {"user": {…}, "keys": […], "admin": false, "key_in_use": "SHA256:…"}
//	keys add           {"code": "XXXX-XXXX-XXXX-XXXX", "expires": "…"}
//	keys link          {"user": {…}, "fingerprint": "SHA256:…"}
//	verify --email     {"user": {…}}
//	a confirmation     {} (verify, verify --resend, keys recover, keys remove)
//	broadcast          {"rooms": [{"room_id": N, "posted": true, "message": {…}} or {…, "posted": false, "code": "…", "error": "…"}], "posted": N, "refused": N}
//	todo               {"todos": […]} for the list, {"todo": {…}} after a change
//	members            {"room_id": N, "members": […], "invited": […]} — "invited" (pending invitations) for the client only
//	invite             {"member": {…}} when the address's account joined at once, {"pending": {…}} for an invitation mailed
//	remove             {"member": {…}} for a member removed, {"invitation": {…}} for an invitation cancelled
//
// Exit status. 0 on success; 1 when the service refuses or fails, with
// exactly one line on stderr giving the reason (broadcast alone has done
// part of its work then: it still prints its line per room, or its JSON,
// on stdout, and exits 1 when any room refused) (an internal failure says
// only "internal error" and is logged with its cause); 2 for a usage error
// (a missing argument, a bad flag, an id that is not a number), with one
// line saying what was expected.
//
// A key with no account may only run signup, keys link, keys recover and
// help; every other command is refused by the service with the way to
// sign up.
package command
