package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/plume-admin/plume/mail/imap/imaptest"
)

func TestExtractIMAP(t *testing.T) {
	srv := imaptest.StartMem(t, imaptest.Options{Messages: imaptest.Fixtures(t)})
	env := map[string]string{}
	getenv = func(k string) string { return env[k] }
	t.Cleanup(func() { getenv = os.Getenv })

	cases := []struct {
		name     string
		url, id  string
		env      map[string]string
		asJSON   bool
		code     int
		out, err string
	}{
		{name: "password", url: "imap://agent@" + srv.Addr, id: "<t1-3@mairie-exemple.fr>", env: map[string]string{"PLUME_IMAP_PASSWORD": "secret"}, out: "Thread: 6 message(s)"},
		{name: "json", url: "imap://agent@" + srv.Addr, id: "t1-1@mairie-exemple.fr", env: map[string]string{"PLUME_IMAP_PASSWORD": "secret"}, asJSON: true, out: `"messageId": "t1-2@prefecture.gouv.fr"`},
		{name: "xoauth2 token", url: "imap://agent@" + srv.Addr, id: "<t2-1@interieur.gouv.fr>", env: map[string]string{"PLUME_IMAP_TOKEN": "token-agent"}, out: "Thread: 2 message(s)"},
		{name: "oauthbearer token", url: "imap://agent@" + srv.Addr, id: "<t2-1@interieur.gouv.fr>", env: map[string]string{"PLUME_IMAP_TOKEN": "token-agent", "PLUME_IMAP_MECH": "oauthbearer"}, out: "Thread: 2 message(s)"},
		{name: "wrong password", url: "imap://agent@" + srv.Addr, id: "<t1-3@mairie-exemple.fr>", env: map[string]string{"PLUME_IMAP_PASSWORD": "nope"}, code: 1, err: "authentication failed"},
		{name: "not found", url: "imap://agent@" + srv.Addr, id: "<x@y>", env: map[string]string{"PLUME_IMAP_PASSWORD": "secret"}, code: 1, err: "not found"},
		{name: "password in URL", url: "imap://agent:secret@" + srv.Addr, id: "<x@y>", code: 2, err: "never put a password"},
		{name: "plain off loopback", url: "imap://agent@imap.example.org", id: "<x@y>", env: map[string]string{"PLUME_IMAP_PASSWORD": "secret"}, code: 1, err: "loopback"},
		{name: "no user", url: "imaps://imap.example.org", id: "<x@y>", code: 2, err: "no user"},
		{name: "bad scheme", url: "http://agent@imap.example.org", id: "<x@y>", code: 2, err: "scheme"},
		{name: "no message id", url: "imap://agent@" + srv.Addr, code: 2, err: "--message-id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clear(env)
			for k, v := range tc.env {
				env[k] = v
			}
			var out, errb bytes.Buffer
			code := extractIMAP(tc.url, tc.id, tc.asJSON, strings.NewReader(""), &out, &errb)
			if code != tc.code || !strings.Contains(out.String(), tc.out) || !strings.Contains(errb.String(), tc.err) {
				t.Fatalf("code %d, stdout %.300q, stderr %q", code, out.String(), errb.String())
			}
			if tc.asJSON && !json.Valid(out.Bytes()) {
				t.Error("invalid JSON")
			}
			if strings.Contains(errb.String(), "secret") || strings.Contains(errb.String(), "token-agent") {
				t.Error("credential in the error output")
			}
		})
	}
}
