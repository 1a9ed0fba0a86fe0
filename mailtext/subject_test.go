package mailtext

import "testing"

func TestSameSubject(t *testing.T) {
	want := "[acme-logo] New message from Alice"
	tests := []struct {
		got  string
		same bool
	}{
		{"[acme-logo] New message from Alice", true},
		{"Re: [acme-logo] New message from Alice", true},
		{"RE: [acme-logo] New message from Alice", true},
		{"AW: [acme-logo] New message from Alice", true},
		{"Fwd: [acme-logo] New message from Alice", true},
		{"Fw: [acme-logo] New message from Alice", true},
		{"WG: [acme-logo] New message from Alice", true},
		{"Re: Re: AW: Fwd: RE: [acme-logo] New message from Alice", true},
		{"Re[2]: [acme-logo] New message from Alice", true},
		{"re:[acme-logo] New message from Alice", true},
		{"[EXTERNAL] Re: [acme-logo] New message from Alice", true},
		{"Re:  [acme-logo]   New message\n\t from Alice ", true},
		{"=?UTF-8?Q?Re=3A_=5Bacme-logo=5D_New_message_from_Alice?=", true},
		{"=?UTF-8?B?UmU6IFthY21lLWxvZ29dIE5ldyBtZXNzYWdlIGZyb20gQWxpY2U=?=", true},
		{"Re: [acme-logo] New message from Alice (changed)", false},
		{"Re: [other-room] New message from Alice", false},
		{"Re: something else", false},
		{"", false},
		{"Reply: [acme-logo] New message from Alice", false},
	}
	for _, tt := range tests {
		if got := SameSubject(tt.got, want); got != tt.same {
			t.Errorf("SameSubject(%q) = %v, want %v", tt.got, got, tt.same)
		}
	}
}
