package imap

import (
	"context"
	"sort"

	"github.com/emersion/go-imap/v2"

	"github.com/plume-admin/plume/mail"
)

// Recent returns the newest messages of the caller's INBOX, newest first,
// with their headers and attachment lists but no body text (for the demo's
// thread picker). limit ≤ 0 means 20; it is capped at MaxMessages.
func (s *Source) Recent(ctx context.Context, who mail.Caller, limit int) ([]*mail.Message, error) {
	if limit <= 0 {
		limit = 20
	}
	if limit > s.opts.MaxMessages {
		limit = s.opts.MaxMessages
	}
	c, err := s.acquire(ctx, who)
	if err != nil {
		return nil, err
	}
	defer s.release(c)
	var total uint32
	err = c.run(ctx, "examine INBOX", func() error {
		c.selected = "INBOX"
		data, err := c.cl.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
		if err != nil {
			c.selected = ""
			return err
		}
		total = data.NumMessages
		return nil
	})
	if err != nil || total == 0 {
		return nil, err
	}
	first := uint32(1)
	if total > uint32(limit) {
		first = total - uint32(limit) + 1
	}
	var msgs []*imapMsg
	err = c.run(ctx, "fetch recent", func() error {
		var seq imap.SeqSet
		seq.AddRange(first, total)
		bufs, err := c.cl.Fetch(seq, imapHeaderFetch).Collect()
		if err != nil {
			return err
		}
		for _, b := range bufs {
			msgs = append(msgs, s.imapMessage("INBOX", b))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The attachment lists, as the decoder reads them; no text.
	if err := c.fetchBodies(ctx, msgs, false); err != nil {
		return nil, err
	}
	out := make([]*mail.Message, len(msgs))
	for i, m := range msgs {
		out[i] = m.msg
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.After(out[j].Date) })
	return out, nil
}
