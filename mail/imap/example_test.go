package imap_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/imap"
)

// A source that logs in with the user's own bearer token (Exchange Online
// offers only XOAUTH2), then reads the thread of the message the panel shows.
func ExampleNew() {
	src, err := imap.New(imap.Options{
		Addr:    "outlook.office365.com:993", // implicit TLS, certificate verified
		Timeout: 10 * time.Second,
		Auth:    imap.Auth{OAuth: imap.MechXOAuth2},
		Pool:    imap.Pool{Size: 2},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer src.Close()

	// The caller comes from the verified token, never from the request body.
	who := mail.Caller{User: "agent@prefecture.gouv.fr", Email: "agent@prefecture.gouv.fr", Token: "…"}
	t, err := src.Thread(context.Background(), who, "<t1-3@mairie-exemple.fr>")
	switch {
	case errors.Is(err, mail.ErrNotFound):
		fmt.Println("not in this mailbox")
	case err != nil:
		fmt.Println(err)
	default:
		for _, m := range t.Messages {
			fmt.Println(m.Date.Format("2006-01-02"), m.Folder, m.Subject)
		}
	}
}
