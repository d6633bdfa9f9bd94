package imap

import (
	"context"
	"errors"
	"testing"

	"github.com/emersion/go-imap/v2"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/imap/imaptest"
)

var imapOAuthCases = []struct {
	mech  string
	token string
	user  string // login name; empty: the server's user
	err   error
}{
	{mech: MechXOAuth2, token: "token-agent"},
	{mech: MechOAuthBearer, token: "token-agent"},
	{mech: MechXOAuth2, token: "expired", err: mail.ErrAuth},
	{mech: MechOAuthBearer, token: "expired", err: mail.ErrAuth},
	// A valid token presented for someone else's mailbox.
	{mech: MechOAuthBearer, token: "token-agent", user: "someone-else", err: mail.ErrAuth},
	{mech: MechXOAuth2, token: "", err: mail.ErrAuth},
}

// TestIMAPOAuth logs in with bearer tokens. The mem server checks them
// itself and sees the mechanism; Dovecot hands them to its oauth2 passdb,
// which asks the token introspection endpoint of imaptest.StartDovecot and
// then compares the username it vouches for with the login name.
func TestIMAPOAuth(t *testing.T) {
	for _, be := range imapBackends {
		t.Run(be.name, func(t *testing.T) {
			srv := be.start(t, imaptest.Options{Messages: imaptest.Fixtures(t)})
			t.Run("password logins ask no token endpoint", func(t *testing.T) {
				// Dovecot's passdbs are restricted by mechanism: were the
				// oauth2 passdb reached by PLAIN, a wrong password would be
				// sent to the endpoint as a token.
				ctx := context.Background()
				if _, err := newTestSource(t, srv, nil).Recent(ctx, mail.Caller{User: srv.User}, 1); err != nil {
					t.Fatal(err)
				}
				if srv.MasterLogin != "" {
					master := newTestSource(t, srv, func(o *Options) {
						o.Auth = Auth{Master: &Master{Login: srv.MasterLogin, Password: srv.MasterPassword}}
					})
					if _, err := master.Recent(ctx, mail.Caller{User: srv.User}, 1); err != nil {
						t.Fatal(err)
					}
				}
				// Nor does a wrong password: it is no token to check.
				wrong := newTestSource(t, srv, func(o *Options) {
					fromLoopback(9)(o)
					o.Auth.Password = func(string) (string, error) { return "wrong", nil }
				})
				if _, err := wrong.Recent(ctx, mail.Caller{User: srv.User}, 1); !errors.Is(err, mail.ErrAuth) {
					t.Errorf("wrong password: err = %v, want ErrAuth", err)
				}
				if log := srv.Introspections(); len(log) != 0 {
					t.Errorf("introspection endpoint asked about %+v", log)
				}
			})
			for i, tc := range imapOAuthCases {
				name := tc.mech + "/" + tc.token
				if tc.user != "" {
					name += "/as-" + tc.user
				}
				t.Run(name, func(t *testing.T) {
					user := srv.User
					if tc.user != "" {
						user = tc.user
					}
					src := newTestSource(t, srv, func(o *Options) {
						o.Auth = Auth{OAuth: tc.mech}
						if tc.err != nil {
							fromLoopback(byte(10 + i))(o)
						}
					})
					sasl, seen := len(srv.SASL()), len(srv.Introspections())
					th, err := src.Thread(context.Background(), mail.Caller{User: "ignored-when-email-set", Email: user, Token: tc.token}, "<t1-1@mairie-exemple.fr>")
					if tc.err == nil && err != nil || tc.err != nil && !errors.Is(err, tc.err) {
						t.Fatalf("err = %v, want %v", err, tc.err)
					}
					if tc.err == nil && len(th.Messages) != len(detrThread) {
						t.Errorf("%d messages, want %d", len(th.Messages), len(detrThread))
					}
					if tc.token == "" {
						// Refused before any exchange.
						if n := len(srv.SASL()) - sasl + len(srv.Introspections()) - seen; n != 0 {
							t.Errorf("server saw %d exchanges", n)
						}
						return
					}
					switch srv.Kind {
					case "mem":
						log := srv.SASL()[sasl:]
						if len(log) != 1 || log[0].Mech != tc.mech || log[0].User != user || log[0].Token != tc.token || log[0].OK != (tc.err == nil) {
							t.Errorf("server saw %+v", log)
						}
					case "dovecot":
						// The introspection request carries the token only:
						// the someone-else token is active, and Dovecot
						// itself refuses the username mismatch.
						log := srv.Introspections()[seen:]
						if len(log) != 1 || log[0].Token != tc.token || log[0].Active != (tc.token == srv.Token) || log[0].At.IsZero() {
							t.Errorf("introspection endpoint saw %+v", log)
						}
					}
					if tc.err == nil {
						return
					}
					// Both servers send their reason as a JSON error
					// challenge: Dovecot {"status":"401",...} for XOAUTH2
					// and {"status":"invalid_token"} for OAUTHBEARER.
					var oe *OAuthError
					if !errors.Is(err, ErrOAuth) || !errors.As(err, &oe) || oe.Status == "unknown" {
						t.Errorf("server's reason lost: %v", err)
					}
					// Dovecot then ends OAUTHBEARER with NO
					// [AUTHENTICATIONFAILED]. Not XOAUTH2: go-imap
					// v2.0.0-beta.8 sends the empty answer to the challenge
					// as "=", valid only as an initial response, and
					// Dovecot answers BAD "Invalid base64 data in continued
					// response" (emersion/go-imap#760). ErrAuth holds all
					// the same: any refusal of the login is one.
					var ie *imap.Error
					if srv.Kind == "dovecot" && tc.mech == MechOAuthBearer && (!errors.As(err, &ie) || ie.Code != imap.ResponseCodeAuthenticationFailed) {
						t.Errorf("want NO [AUTHENTICATIONFAILED]: %v", err)
					}
				})
			}
		})
	}
}
