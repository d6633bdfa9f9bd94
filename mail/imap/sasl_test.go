package imap

import (
	"errors"
	"strings"
	"testing"
)

var saslResponseCases = []struct {
	name, got, want string
}{
	{"xoauth2", string(XOAuth2Response("agent@pref.gouv.fr", "ya29.tok")), "user=agent@pref.gouv.fr\x01auth=Bearer ya29.tok\x01\x01"},
	{"oauthbearer", string(OAuthBearerResponse("agent@pref.gouv.fr", "tok")), "n,a=agent@pref.gouv.fr,\x01auth=Bearer tok\x01\x01"},
	{"oauthbearer escapes authzid", string(OAuthBearerResponse("a,b=c", "tok")), "n,a=a=2Cb=3Dc,\x01auth=Bearer tok\x01\x01"},
	{"oauthbearer without user", string(OAuthBearerResponse("", "tok")), "n,,\x01auth=Bearer tok\x01\x01"},
}

func TestSASLResponses(t *testing.T) {
	for _, tc := range saslResponseCases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}

var oauthChallengeCases = []struct {
	name      string
	challenge string
	status    string
	scope     string
}{
	{"exchange", `{"status":"401","schemes":"bearer","scope":"https://outlook.office.com/IMAP.AccessAsUser.All"}`, "401", "https://outlook.office.com/IMAP.AccessAsUser.All"},
	{"rfc 7628", `{"status":"invalid_token","schemes":"bearer"}`, "invalid_token", ""},
	{"not json", `Bearer realm="x"`, "unknown", ""},
	{"empty", ``, "unknown", ""},
	{"no status", `{"scope":"x"}`, "unknown", ""},
	{"control characters", "{\"status\":\"4\\u000101\\r\\n\"}", "401", ""},
}

func TestParseOAuthChallenge(t *testing.T) {
	for _, tc := range oauthChallengeCases {
		t.Run(tc.name, func(t *testing.T) {
			e := ParseOAuthChallenge([]byte(tc.challenge))
			if e.Status != tc.status || e.Scope != tc.scope {
				t.Errorf("got %+v", e)
			}
			if !errors.Is(e, ErrOAuth) {
				t.Error("does not wrap ErrOAuth")
			}
		})
	}
}

// The client answers an error challenge as each mechanism requires, once.
func TestOAuthClientExchange(t *testing.T) {
	for _, c := range []*oauthClient{newXOAuth2Client("u", "secret-token"), newOAuthBearerClient("u", "secret-token")} {
		mech, ir, err := c.Start()
		if err != nil || mech != c.mech || !strings.Contains(string(ir), "auth=Bearer secret-token") {
			t.Fatalf("start: %s %q %v", mech, ir, err)
		}
		resp, err := c.Next([]byte(`{"status":"401"}`))
		if err != nil {
			t.Fatal(err)
		}
		want := ""
		if mech == MechOAuthBearer {
			want = "\x01"
		}
		if string(resp) != want || c.failure == nil || c.failure.Status != "401" {
			t.Errorf("%s: response %q, failure %v", mech, resp, c.failure)
		}
		if strings.Contains(c.failure.Error(), "secret-token") {
			t.Error("token in error text")
		}
		if _, err := c.Next([]byte(`{}`)); err == nil {
			t.Errorf("%s: accepted a second challenge", mech)
		}
	}
}

func FuzzParseOAuthChallenge(f *testing.F) {
	for _, tc := range oauthChallengeCases {
		f.Add([]byte(tc.challenge))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e := ParseOAuthChallenge(b)
		if e == nil || e.Status == "" || len(e.Scope) > 256 || len(e.Status) > 64 {
			t.Fatalf("bad result %+v", e)
		}
		if strings.ContainsAny(e.Error(), "\r\n\x00") {
			t.Fatalf("control characters in %q", e.Error())
		}
	})
}
