package imaptest

import (
	"testing"
)

// Both servers hold the fixtures in the right folders, none \Seen.
func TestServersSeeded(t *testing.T) {
	for _, start := range []func(testing.TB, Options) *Server{StartMem, StartDovecot} {
		srv := start(t, Options{Messages: Fixtures(t)})
		t.Run(srv.Kind, func(t *testing.T) {
			want := map[string]int{}
			for _, m := range Fixtures(t) {
				want[m.Folder]++
			}
			for folder, n := range want {
				flags := srv.Flags(t, folder)
				if len(flags) != n {
					t.Errorf("%s: %d messages, want %d", folder, len(flags), n)
				}
			}
		})
	}
}

func TestParseXOAuth2(t *testing.T) {
	u, tok, ok := ParseXOAuth2([]byte("user=a@b.fr\x01auth=Bearer xyz\x01\x01"))
	if !ok || u != "a@b.fr" || tok != "xyz" {
		t.Fatalf("got %q %q %v", u, tok, ok)
	}
	if _, _, ok := ParseXOAuth2([]byte("user=a\x01")); ok {
		t.Fatal("accepted a truncated response")
	}
}
