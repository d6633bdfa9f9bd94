package addin

import (
	"strings"

	"github.com/plume-admin/plume/mail"
)

// signerOf is who replies: the verified caller, with the display name the
// thread shows for the caller's address (From, To or Cc; the newest
// message first). Zero when the caller has no address, so that assist
// infers the replier from the thread — never the correspondent.
func signerOf(c mail.Caller, t *mail.Thread) mail.Address {
	addr := strings.TrimSpace(c.Email)
	if addr == "" {
		return mail.Address{}
	}
	s := mail.Address{Address: addr}
	if t == nil {
		return s
	}
	for i := len(t.Messages) - 1; i >= 0; i-- {
		m := t.Messages[i]
		if m == nil {
			continue
		}
		for _, list := range [][]mail.Address{m.From, m.To, m.Cc} {
			for _, a := range list {
				if strings.EqualFold(strings.TrimSpace(a.Address), addr) && strings.TrimSpace(a.Name) != "" {
					s.Name = strings.TrimSpace(a.Name)
					return s
				}
			}
		}
	}
	return s
}
