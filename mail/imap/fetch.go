package imap

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// imapSection is the BODY.PEEK item that reads a text part, cut at max bytes.
func imapSection(tp imapTextPart, max int64) *imap.FetchItemBodySection {
	sec := &imap.FetchItemBodySection{Part: tp.part, Peek: true}
	if tp.size > max {
		sec.Partial = &imap.SectionPartial{Offset: 0, Size: max}
	}
	return sec
}

// fetchBodies reads the text parts of msgs not read yet with BODY.PEEK
// (never setting \Seen) and fills each message's body with SetBody; what
// was left out goes to the message's notes. Messages needing the same parts
// share one UID FETCH; all fetches of a folder go in one round trip.
func (c *imapConn) fetchBodies(ctx context.Context, msgs []*imapMsg) error {
	max := c.src.opts.MaxTextBytes
	byFolder := map[string][]*imapMsg{}
	var folders []string
	for _, m := range msgs {
		if m.read {
			continue
		}
		if len(m.plan.plain)+len(m.plan.html) == 0 {
			m.msg.SetBody("", "")
			m.read = true
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
			k := imapPlanKey(m.plan, max)
			if groups[k] == nil {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], m)
		}
		err := c.run(ctx, "fetch text "+f, func() error {
			ex := c.examine(f)
			cmds := make([]*imapclient.FetchCommand, len(keys))
			for i, k := range keys {
				g := groups[k]
				opts := &imap.FetchOptions{UID: true}
				for _, tp := range append(append([]imapTextPart(nil), g[0].plan.plain...), g[0].plan.html...) {
					opts.BodySection = append(opts.BodySection, imapSection(tp, max))
				}
				var uids []imap.UID
				for _, m := range g {
					uids = append(uids, m.uid)
				}
				cmds[i] = c.cl.Fetch(imap.UIDSetNum(uids...), opts)
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
			firstErr := errors.Join(errs...)
			if exErr != nil {
				return exErr
			}
			if firstErr != nil {
				return firstErr
			}
			for i, k := range keys {
				byUID := map[imap.UID]*imapclient.FetchMessageBuffer{}
				for _, b := range results[i] {
					byUID[b.UID] = b
				}
				for _, m := range groups[k] {
					c.fillBody(m, byUID[m.uid])
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

// imapPlanKey identifies the set of sections a plan needs.
func imapPlanKey(p imapPlan, max int64) string {
	var sb strings.Builder
	for _, tp := range p.plain {
		fmt.Fprintf(&sb, "p%s/%t;", imapPartString(tp.part), tp.size > max)
	}
	for _, tp := range p.html {
		fmt.Fprintf(&sb, "h%s/%t;", imapPartString(tp.part), tp.size > max)
	}
	return sb.String()
}

// fillBody decodes the fetched parts of m and calls SetBody.
func (c *imapConn) fillBody(m *imapMsg, b *imapclient.FetchMessageBuffer) {
	m.read = true
	notes := &m.notes
	max := c.src.opts.MaxTextBytes
	read := func(parts []imapTextPart) string {
		var texts []string
		for _, tp := range parts {
			if b == nil {
				continue
			}
			raw := b.FindBodySection(imapSection(tp, max))
			text, ok := imapDecodeText(raw, tp.encoding, tp.charset)
			if !ok {
				m.msg.Cleaning.Warnings = append(m.msg.Cleaning.Warnings, fmt.Sprintf("unknown charset %q read as UTF-8", saslClip(tp.charset, 40)))
			}
			if tp.size > max {
				*notes = append(*notes, fmt.Sprintf("A text part of the message of %s was cut at %d bytes.", m.msg.Date.Format("2006-01-02 15:04"), max))
			}
			texts = append(texts, text)
		}
		return strings.Join(texts, "\n")
	}
	if b == nil {
		*notes = append(*notes, fmt.Sprintf("The text of the message of %s could not be read (it may have been deleted meanwhile).", m.msg.Date.Format("2006-01-02 15:04")))
	}
	m.msg.SetBody(read(m.plan.plain), read(m.plan.html))
}
