package imap

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/plume-admin/plume/mail"
)

// fetchBodies reads the parts of msgs not read yet with BODY.PEEK (never
// setting \Seen) and decodes each message with mail.Decode, the decoder
// mail.Parse uses; what was left out goes to the message's notes. Text
// parts are read when withText is set (cut at MaxTextBytes); of the other
// parts only the MIME header and the decoded size. Messages needing the
// same sections share one UID FETCH; all fetches of a folder go in one
// round trip.
func (c *imapConn) fetchBodies(ctx context.Context, msgs []*imapMsg, withText bool) error {
	max := c.src.opts.MaxTextBytes
	byFolder := map[string][]*imapMsg{}
	var folders []string
	for _, m := range msgs {
		if m.read {
			continue
		}
		if byFolder[m.folder] == nil {
			folders = append(folders, m.folder)
		}
		byFolder[m.folder] = append(byFolder[m.folder], m)
	}
	// The open folder first saves an EXAMINE.
	sort.SliceStable(folders, func(i, j int) bool { return folders[i] == c.selected && folders[j] != c.selected })
	for _, f := range folders {
		groups := map[string][]*imapMsg{}
		var keys []string
		for _, m := range byFolder[f] {
			k := m.layout.key(max)
			if groups[k] == nil {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], m)
		}
		err := c.run(ctx, "fetch parts "+f, func() error {
			opts := make([]*imap.FetchOptions, len(keys))
			uids := make([][]imap.UID, len(keys))
			for i, k := range keys {
				g := groups[k]
				opts[i] = &imap.FetchOptions{UID: true}
				opts[i].BodySection = g[0].layout.sections(max, withText)
				for _, m := range g {
					uids[i] = append(uids[i], m.uid)
				}
			}
			results, err := c.fetch(f, uids, opts)
			if err != nil {
				return err
			}
			for i, k := range keys {
				byUID := map[imap.UID]*imapclient.FetchMessageBuffer{}
				for _, b := range results[i] {
					byUID[b.UID] = b
				}
				for _, m := range groups[k] {
					c.fillBody(m, byUID[m.uid], withText)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// fetch opens folder if needed and sends one UID FETCH per entry of uids,
// pipelined, and returns their answers in order.
func (c *imapConn) fetch(folder string, uids [][]imap.UID, opts []*imap.FetchOptions) ([][]*imapclient.FetchMessageBuffer, error) {
	ex := c.examine(folder)
	cmds := make([]*imapclient.FetchCommand, len(uids))
	for i := range uids {
		cmds[i] = c.cl.Fetch(imap.UIDSetNum(uids[i]...), opts[i])
	}
	exErr := c.waitExamine(ex)
	// Servers may interleave the answers of pipelined FETCHes (Dovecot
	// does) and the client streams literals: read all at once.
	results := make([][]*imapclient.FetchMessageBuffer, len(cmds))
	errs := make([]error, len(cmds))
	var wg sync.WaitGroup
	for i, fc := range cmds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = fc.Collect()
		}()
	}
	wg.Wait()
	if exErr != nil {
		return nil, exErr
	}
	return results, errors.Join(errs...)
}

// fillBody decodes the fetched parts of m with mail.Decode. The message
// keeps its place (folder, UID) and, when the decoder cannot read it, its
// header with a note.
func (c *imapConn) fillBody(m *imapMsg, b *imapclient.FetchMessageBuffer, withText bool) {
	m.read = true
	max := c.src.opts.MaxTextBytes
	when := m.msg.Date.Format("2006-01-02 15:04")
	if b == nil {
		m.notes = append(m.notes, fmt.Sprintf("The text of the message of %s could not be read (it may have been deleted meanwhile).", when))
		m.msg.SetBody("", "")
		return
	}
	part, cut := m.layout.part(m.header, b, max, withText)
	dec, err := mail.Decode(part, mail.Limits{})
	if err != nil {
		m.notes = append(m.notes, fmt.Sprintf("The message of %s could not be decoded; only its header was read.", when))
		m.msg.SetBody("", "")
		return
	}
	if cut {
		m.notes = append(m.notes, fmt.Sprintf("A text part of the message of %s was cut at %d bytes.", when, max))
	}
	dec.Folder, dec.UID = m.msg.Folder, m.msg.UID
	if dec.MessageID == "" {
		dec.MessageID = m.msg.MessageID
	}
	m.msg = dec
}
