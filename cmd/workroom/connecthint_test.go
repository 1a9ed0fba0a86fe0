package main

import "testing"

func TestMailConnectHint_NamesPortAndHostPeopleCanReach(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{":2222", "ssh -p 2222 workroom.localhost"},
		{"0.0.0.0:2222", "ssh -p 2222 workroom.localhost"},
		{"ssh.example.com:22", "ssh ssh.example.com"},
		{"127.0.0.1:0", "ssh 127.0.0.1"},
		{"nonsense", "ssh workroom.localhost"},
	} {
		if got := mailConnectHint(tc.addr, "workroom.localhost"); got != tc.want {
			t.Errorf("mailConnectHint(%q) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}
