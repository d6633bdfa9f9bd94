package imap

// Gmail threads by X-GM-THRID. Gmail groups a conversation itself (also by
// subject, for messages without References or In-Reply-To) and names it
// with a thread id that FETCH and SEARCH accept when the server advertises
// X-GM-EXT-1. Every message but Trash and Spam is in the \All folder ("All
// Mail"), once: one search there finds the whole conversation, both
// directions, without header searches. go-imap cannot send these items, so
// they go over the raw channel (imapraw.go).

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/emersion/go-imap/v2"

	"github.com/plume-admin/plume/mail"
)

// imapCapGmail is Gmail's extension capability.
const imapCapGmail = imap.Cap("X-GM-EXT-1")

// gmailCollect reads the thread of target through Gmail's All Mail and
// X-GM-THRID. ok is false, with no error, when the server is not Gmail,
// has no \All folder, or the target is not in All Mail (Trash, Spam): the
// caller then searches the usual folders. Message headers are read;
// bodies are left to fetchBodies.
func (c *imapConn) gmailCollect(ctx context.Context, target string, notes *[]string) (found []*imapMsg, ok bool, err error) {
	f := c.allMail
	if f == "" || c.raw == nil || !c.caps.Has(imapCapGmail) {
		return nil, false, nil
	}
	var hits []imap.UID
	err = c.run(ctx, "search "+f, func() error {
		ex := c.examine(f)
		sc := c.cl.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: target}}}, nil)
		exErr := c.waitExamine(ex)
		data, sErr := sc.Wait()
		if exErr != nil {
			return exErr
		}
		if sErr != nil {
			return sErr
		}
		hits = data.AllUIDs()
		return nil
	})
	if gmailDeclined(err) || err == nil && len(hits) == 0 {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	thrid, err := c.gmailThreadID(ctx, hits[0])
	if gmailDeclined(err) || err == nil && thrid == 0 {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	var uids []imap.UID
	err = c.run(ctx, "search X-GM-THRID "+f, func() error {
		resp, err := c.raw.Command(ctx, c.cl.Closed(), "UID SEARCH X-GM-THRID "+strconv.FormatUint(thrid, 10))
		uids = imapParseSearch(resp)
		return err
	})
	if gmailDeclined(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	uids = gmailUnique(append(uids, hits[0]))
	if limit := 4 * c.src.opts.MaxMessages; len(uids) > limit {
		// UIDs grow with arrival: keep the newest.
		sort.Slice(uids, func(i, j int) bool { return uids[i] > uids[j] })
		*notes = append(*notes, fmt.Sprintf("Folder %q holds %d messages of this conversation; only the newest %d were read.", f, len(uids), limit))
		uids = uids[:limit]
	}
	msgs, err := c.fetchHeaders(ctx, f, uids)
	if err != nil {
		return nil, false, err
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		if id, _ := imapNormID(m.msg.MessageID); id != "" {
			if seen[id] {
				continue
			}
			seen[id] = true
		}
		found = append(found, m)
	}
	return found, true, nil
}

// gmailThreadID asks the X-GM-THRID of uid in the open folder; 0 when the
// server did not say.
func (c *imapConn) gmailThreadID(ctx context.Context, uid imap.UID) (uint64, error) {
	var thrid uint64
	err := c.run(ctx, "fetch X-GM-THRID "+c.selected, func() error {
		resp, err := c.raw.Command(ctx, c.cl.Closed(), "UID FETCH "+strconv.FormatUint(uint64(uid), 10)+" (X-GM-THRID)")
		for _, line := range resp {
			if u, id, ok := imapParseThrid(line); ok && (u == uid || u == 0) {
				thrid = id
				break
			}
		}
		return err
	})
	return thrid, err
}

// gmailUnique returns uids without repeats, in order.
func gmailUnique(uids []imap.UID) []imap.UID {
	seen := map[imap.UID]bool{}
	out := uids[:0]
	for _, u := range uids {
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out
}

// gmailDeclined reports a NO or BAD from the server (All Mail cannot be
// opened, an X-GM item refused): the usual search still works.
func gmailDeclined(err error) bool {
	var ie *imap.Error
	return err != nil && errors.As(err, &ie) && !errors.Is(err, mail.ErrAuth)
}

// imapParseThrid reads a FETCH response carrying X-GM-THRID, such as
// "* 12 FETCH (X-GM-THRID 1278455344230334865 UID 4)". uid is 0 when the
// response has no UID.
func imapParseThrid(line []byte) (uid imap.UID, thrid uint64, ok bool) {
	f := strings.Fields(strings.NewReplacer("(", " ", ")", " ").Replace(string(line)))
	if len(f) < 3 || f[0] != "*" || !strings.EqualFold(f[2], "FETCH") {
		return 0, 0, false
	}
	for i := 3; i+1 < len(f); i++ {
		switch strings.ToUpper(f[i]) {
		case "X-GM-THRID":
			n, err := strconv.ParseUint(f[i+1], 10, 64)
			if err != nil || n == 0 {
				return 0, 0, false
			}
			thrid, ok = n, true
			i++
		case "UID":
			n, err := strconv.ParseUint(f[i+1], 10, 32)
			if err != nil {
				return 0, 0, false
			}
			uid = imap.UID(n)
			i++
		}
	}
	return uid, thrid, ok
}

// imapParseSearch returns the numbers of "* SEARCH n..." responses; other
// lines and words are ignored.
func imapParseSearch(resp [][]byte) []imap.UID {
	var out []imap.UID
	for _, line := range resp {
		f := strings.Fields(string(line))
		if len(f) < 2 || f[0] != "*" || !strings.EqualFold(f[1], "SEARCH") {
			continue
		}
		for _, w := range f[2:] {
			if n, err := strconv.ParseUint(w, 10, 32); err == nil && n > 0 {
				out = append(out, imap.UID(n))
			}
		}
	}
	return out
}
