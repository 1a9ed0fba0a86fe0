package mailtext

import "testing"

func TestStripReply(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"gmail top post", "Sounds good.\n\nOn Mon, Mar 4, 2024 at 10:00 AM Alice <alice@example.com> wrote:\n\n> Shall we meet?\n>\n", "Sounds good."},
		{"gmail attribution wrapped over two lines", "Yes.\n\nOn Mon, Mar 4, 2024 at 10:00 AM Alice Example via workroom <\nnotify@workroom.example> wrote:\n\n> quoted\n", "Yes."},
		{"apple mail", "Fine by me.\n\n> On 4 Mar 2024, at 10:00, Alice <alice@example.com> wrote:\n> \n> Shall we?\n", "Fine by me."},
		{"thunderbird inline answers", "On 04/03/2024 10:00, Alice wrote:\n> first question?\n\nfirst answer\n\n> second question?\n\nsecond answer\n", "first answer\n\nsecond answer"},
		{"german", "Passt.\n\nAm 04.03.2024 um 10:00 schrieb Alice Example <alice@example.com>:\n> Passt das?\n", "Passt."},
		{"french with no-break space", "D'accord.\n\nLe lun. 4 mars 2024 à 10:00, Alice <alice@example.com> a écrit\u00a0:\n> Ça va ?\n", "D'accord."},
		{"spanish", "Vale.\n\nEl lun, 4 mar 2024 a las 10:00, Alice (<alice@example.com>) escribió:\n> ¿Vale?\n", "Vale."},
		{"outlook original message", "Approved.\n\n-----Original Message-----\nFrom: Alice\nSent: Monday\nSubject: budget\n\nPlease approve.\n", "Approved."},
		{"outlook german original message", "Genehmigt.\n\n-----Ursprüngliche Nachricht-----\nVon: Alice\nGesendet: Montag\n\nBitte genehmigen.\n", "Genehmigt."},
		{"outlook header block with rule", "Approved.\n\nCarla\n\n________________________________\nFrom: Alice Example <notify@workroom.example>\nSent: Monday, March 4, 2024 10:00 AM\nTo: Carla\nSubject: budget\n\nPlease approve.\n", "Approved.\n\nCarla"},
		{"outlook header block from HTML", "Approved.\n\n*From:* Alice Example\n*Sent:* Monday, March 4, 2024\n*To:* Carla\n\nPlease approve.", "Approved."},
		{"outlook french header block", "D'accord.\n\nDe : Alice\nEnvoyé : lundi 4 mars 2024 10:00\nÀ : Carla\n\nquoted", "D'accord."},
		{"signature", "See you.\n\n-- \nErik Example\nTypesetter\n", "See you."},
		{"signature without its space", "See you.\n--\nErik\n", "See you."},
		{"mobile footer", "On my way.\n\nSent from my iPhone\n", "On my way."},
		{"german mobile footer", "Bin unterwegs.\n\nVon meinem iPhone gesendet\n", "Bin unterwegs."},
		{"outlook mobile footer", "Ok\n\nGet Outlook for iOS\n", "Ok"},
		{"crlf line ends", "Yes.\r\n\r\n> quoted\r\n", "Yes."},
		{"trailing blank lines trimmed", "Hello.\n\n\n\n", "Hello."},
		{"person's text kept exactly", "  indented line\n\tand a tab  \n\n\nthree blank lines above", "  indented line\n\tand a tab  \n\n\nthree blank lines above"},
		{"on-line without a date is text", "On Monday I wrote:\nthe plan is fine", "On Monday I wrote:\nthe plan is fine"},
		{"attribution followed by own text is text", "On 3 March I wrote:\nthe first draft", "On 3 March I wrote:\nthe first draft"},
		{"from line without sent line is text", "From: the client's side, all good.\nThanks", "From: the client's side, all good.\nThanks"},
		{"sent-from in the middle of a sentence is text", "I was sent from my office to fetch it.", "I was sent from my office to fetch it."},
		{"only a quote", "> nothing new\n> here\n", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StripReply(tt.in); got != tt.want {
				t.Errorf("StripReply(%q)\n= %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}
