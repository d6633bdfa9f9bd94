package imap

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/emersion/go-imap/v2"

	"github.com/plume-admin/plume/mail"
)

// Thread returns the thread holding the message with the given Message-ID,
// read from the caller's own mailbox: every folder searched (INBOX, Sent,
// Archive by default), duplicates removed, newest MaxMessages kept.
//
// Errors wrap ErrNotFound, ErrAuth, ErrUnavailable or ErrTimeout.
func (s *Source) Thread(ctx context.Context, who mail.Caller, messageID string) (*mail.Thread, error) {
	target, err := imapNormID(messageID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.TotalTimeout)
	defer cancel()
	c, err := s.acquire(ctx, who)
	if err != nil {
		return nil, err
	}
	defer s.release(c)
	folders, err := c.folderList(ctx)
	if err != nil {
		return nil, err
	}
	var notes []string
	// Gmail names the conversation itself (gmail.go).
	found, ok, err := c.gmailCollect(ctx, target, &notes)
	if err == nil && !ok {
		found, err = c.collect(ctx, folders, target, &notes)
	}
	if err != nil {
		return nil, err
	}
	// The target itself must be there; messages merely naming it don't count.
	var targetMsg *imapMsg
	for _, m := range found {
		if imapSameID(m.msg.MessageID, target) {
			targetMsg = m
			break
		}
	}
	if targetMsg == nil {
		return nil, fmt.Errorf("%w: %s", mail.ErrNotFound, messageID)
	}
	kept, omitted := imapCap(found, targetMsg, s.opts.MaxMessages)
	if err := c.fetchBodies(ctx, kept, true); err != nil {
		return nil, err
	}
	for _, m := range kept {
		notes = append(notes, m.notes...)
	}
	msgs := make([]*mail.Message, len(kept))
	for i, m := range kept {
		msgs[i] = m.msg
	}
	t := mail.BuildThread(msgs)
	if t == nil {
		t = &mail.Thread{Messages: msgs}
	}
	t.Omitted += omitted
	if omitted > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("%d older message(s) of this thread left out (limit %d messages).", omitted, s.opts.MaxMessages))
	}
	t.Notes = append(t.Notes, notes...)
	return t, nil
}

// imapKeys chooses what to search for in each folder. A header search costs
// the server a pass over the folder's headers per field named (more ids in
// one field cost little), so each key is asked once per folder and only
// where it can find something new (see imapCollector for the order):
//   - Message-ID for ids named by the thread but not found yet (ancestors);
//   - References for the thread's roots (replies keep the root first);
//   - In-Reply-To for the messages found (replies with no References).
type imapKeys struct {
	known, found, roots map[string]bool
	asked               map[string]map[string]bool // folder → "kind id"
}

func newKeys(target string) *imapKeys {
	return &imapKeys{
		known: map[string]bool{target: true},
		found: map[string]bool{},
		roots: map[string]bool{target: true},
		asked: map[string]map[string]bool{},
	}
}

// add records a found message.
func (k *imapKeys) add(m *mail.Message) {
	mark := func(set map[string]bool, id string) {
		if id != "" {
			set[id] = true
		}
	}
	id, _ := imapNormID(m.MessageID)
	mark(k.found, id)
	mark(k.known, id)
	var refs []string
	for _, r := range append(append([]string{}, m.References...), m.InReplyTo...) {
		if n, err := imapNormID(r); err == nil {
			refs = append(refs, n)
			mark(k.known, n)
		}
	}
	if len(m.References) > 0 && len(refs) > 0 {
		mark(k.roots, refs[0])
	} else if len(refs) == 0 {
		mark(k.roots, id)
	}
}

// anchor records that m was read from folder f together with the whole
// THREAD REFERENCES tree holding it. The server built that tree from the
// same Message-ID, References and In-Reply-To headers the keys search, so
// every message of f that bears or names an id m names is in the tree, and
// already read: searching f again for those ids cannot find anything new.
func (k *imapKeys) anchor(f string, m *mail.Message) {
	asked := k.asked[f]
	if asked == nil {
		asked = map[string]bool{}
		k.asked[f] = asked
	}
	for _, id := range imapRelated(m) {
		for _, field := range []string{"Message-ID", "References", "In-Reply-To"} {
			asked[field+" "+id] = true
		}
	}
}

// imapKey is one header search: field names id.
type imapKey struct{ field, id string }

// idKeys returns the Message-ID searches still to ask in folder f: ids named
// by the thread but not found yet.
// With mark unset it only looks: the keys stay to be asked.
func (k *imapKeys) idKeys(f string, mark bool) []imapKey {
	return k.take(f, "Message-ID", k.known, func(id string) bool { return !k.found[id] }, mark)
}

// replyKeys returns the reply searches still to ask in folder f (see idKeys
// for mark).
func (k *imapKeys) replyKeys(f string, mark bool) []imapKey {
	all := func(string) bool { return true }
	keys := k.take(f, "References", k.roots, all, mark)
	keys = append(keys, k.take(f, "In-Reply-To", k.found, all, mark)...)
	return append(keys, k.take(f, "In-Reply-To", k.roots, func(id string) bool { return !k.found[id] }, mark)...)
}

// take returns the keys field×ids (those want accepts) not asked in f yet,
// and marks them asked if mark is set.
func (k *imapKeys) take(f, field string, ids map[string]bool, want func(string) bool, mark bool) []imapKey {
	asked := k.asked[f]
	if asked == nil {
		asked = map[string]bool{}
		k.asked[f] = asked
	}
	var list []string
	for id := range ids {
		if want(id) && !asked[field+" "+id] {
			list = append(list, id)
		}
	}
	sort.Strings(list)
	keys := make([]imapKey, len(list))
	for i, id := range list {
		if mark {
			asked[field+" "+id] = true
		}
		keys[i] = imapKey{field, id}
	}
	return keys
}

// imapKeyCriteria ORs the header searches of keys.
func imapKeyCriteria(keys []imapKey) *imap.SearchCriteria {
	crit := make([]imap.SearchCriteria, len(keys))
	for i, key := range keys {
		crit[i] = imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: key.field, Value: key.id}}}
	}
	return imapOr(crit)
}

// imapRelated returns the normalised ids a message names (its own, its
// parents and references).
func imapRelated(m *mail.Message) []string {
	var out []string
	for _, s := range append(append([]string{m.MessageID}, m.InReplyTo...), m.References...) {
		if id, err := imapNormID(s); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func imapNewUIDs(uids []imap.UID, seen imap.UIDSet) []imap.UID {
	var out []imap.UID
	dup := map[imap.UID]bool{}
	for _, u := range uids {
		if dup[u] || seen.Contains(u) {
			continue
		}
		dup[u] = true
		out = append(out, u)
	}
	return out
}

// imapCap keeps the newest max messages (always the target) and says how
// many were left out.
func imapCap(found []*imapMsg, target *imapMsg, max int) ([]*imapMsg, int) {
	sort.SliceStable(found, func(i, j int) bool { return found[i].msg.Date.After(found[j].msg.Date) })
	if len(found) <= max {
		return found, 0
	}
	kept := append([]*imapMsg(nil), found[:max]...)
	hasTarget := false
	for _, m := range kept {
		if m == target {
			hasTarget = true
		}
	}
	if !hasTarget {
		kept[max-1] = target
	}
	return kept, len(found) - max
}

// imapNormID returns a Message-ID in its "<local@domain>" form, or an error
// wrapping ErrNotFound for something that cannot be one.
func imapNormID(s string) (string, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
	if s == "" || len(s) > 995 || strings.ContainsAny(s, "<>\r\n\x00 \t") {
		return "", fmt.Errorf("%w: invalid Message-ID %q", mail.ErrNotFound, saslClip(s, 80))
	}
	return "<" + s + ">", nil
}

func imapSameID(a, b string) bool {
	x, err1 := imapNormID(a)
	y, err2 := imapNormID(b)
	return err1 == nil && err2 == nil && x == y
}
