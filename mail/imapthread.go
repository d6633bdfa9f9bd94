package mail

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/emersion/go-imap/v2"
)

// imapMaxRounds bounds the search-until-closure loop.
const imapMaxRounds = 4

// Thread returns the thread holding the message with the given Message-ID,
// read from the caller's own mailbox: every folder searched (INBOX, Sent,
// Archive by default), duplicates removed, newest MaxMessages kept.
//
// Errors wrap ErrNotFound, ErrAuth, ErrUnavailable or ErrTimeout.
func (s *IMAPSource) Thread(ctx context.Context, who Caller, messageID string) (*Thread, error) {
	target, err := imapNormID(messageID)
	if err != nil {
		return nil, err
	}
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
	// Gmail names the conversation itself (imapgmail.go).
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
		return nil, fmt.Errorf("%w: %s", ErrNotFound, messageID)
	}
	kept, omitted := imapCap(found, targetMsg, s.opts.MaxMessages)
	if err := c.fetchBodies(ctx, kept); err != nil {
		return nil, err
	}
	for _, m := range kept {
		notes = append(notes, m.notes...)
	}
	msgs := make([]*Message, len(kept))
	for i, m := range kept {
		msgs[i] = m.msg
	}
	t := BuildThread(msgs)
	if t == nil {
		t = &Thread{Messages: msgs}
	}
	t.Omitted += omitted
	if omitted > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("%d older message(s) of this thread left out (limit %d messages).", omitted, s.opts.MaxMessages))
	}
	t.Notes = append(t.Notes, notes...)
	return t, nil
}

// collect finds the thread's messages in folders, repeating until no new
// message turns up. Each visit of a folder is one UID SEARCH for what is not
// yet known there (see imapKeys), plus, on the first visit where the server
// offers it, a UID THREAD REFERENCES over the folder whose trees holding a
// hit are taken whole (this catches replies whose References were cut);
// what those trees answer is not asked there again (see imapKeys.anchor).
// Text parts are read while the folder is open (see fetchBodies).
// Messages are deduplicated by Message-ID across folders.
func (c *imapConn) collect(ctx context.Context, folders []string, target string, notes *[]string) ([]*imapMsg, error) {
	k := newIMAPKeys(target)
	seenUID := map[string]imap.UIDSet{}
	visited := map[string]bool{}
	byID := map[string]*imapMsg{}
	var found []*imapMsg
	missing := map[string]bool{}
	canThread := c.caps.Has(imap.Cap("THREAD=REFERENCES"))

	order := c.searchOrder(folders)
	for round := 0; round < imapMaxRounds; round++ {
		progress := false
		for _, f := range order {
			if missing[f] {
				continue
			}
			crit := k.criteria(f, seenUID[f])
			if crit == nil {
				continue
			}
			uids, threaded, err := c.search(ctx, f, crit, canThread && !visited[f])
			visited[f] = true
			if errors.Is(err, errFolderMissing) {
				missing[f] = true
				*notes = append(*notes, fmt.Sprintf("Folder %q could not be opened; it was not searched.", f))
				continue
			}
			if err != nil {
				return nil, err
			}
			uids = imapNewUIDs(uids, seenUID[f])
			if len(uids) == 0 {
				continue
			}
			if limit := 4 * c.src.opts.MaxMessages; len(uids) > limit {
				// UIDs grow with arrival: keep the newest.
				sort.Slice(uids, func(i, j int) bool { return uids[i] > uids[j] })
				*notes = append(*notes, fmt.Sprintf("Folder %q holds %d related messages; only the newest %d were read.", f, len(uids), limit))
				uids = uids[:limit]
			}
			set := seenUID[f]
			set.AddNum(uids...)
			seenUID[f] = set
			msgs, err := c.fetchHeaders(ctx, f, uids)
			if err != nil {
				return nil, err
			}
			var fresh []*imapMsg
			for _, m := range msgs {
				if threaded {
					k.anchor(f, m.msg)
				}
				id, _ := imapNormID(m.msg.MessageID)
				if id != "" {
					if _, dup := byID[id]; dup {
						continue
					}
					byID[id] = m
				}
				found = append(found, m)
				fresh = append(fresh, m)
				if k.add(m.msg) {
					progress = true
				}
			}
			// Read their text now, while the folder is open, unless the cap
			// may leave some out (then Thread reads only those kept).
			if len(found) <= c.src.opts.MaxMessages {
				if err := c.fetchBodies(ctx, fresh); err != nil {
					return nil, err
				}
			}
		}
		if !progress {
			break
		}
	}
	return found, nil
}

// searchOrder returns folders with the open one first, to save an EXAMINE.
func (c *imapConn) searchOrder(folders []string) []string {
	out := append([]string(nil), folders...)
	sort.SliceStable(out, func(i, j int) bool { return out[i] == c.selected && out[j] != c.selected })
	return out
}

// imapKeys chooses what to search for in each folder. Header substring
// searches cost the server one pass over the folder per key, References
// keys the most, so each key is asked once per folder and only where it can
// find something new:
//   - Message-ID for ids named by the thread but not found yet (ancestors);
//   - References for the thread's roots (replies keep the root first);
//   - In-Reply-To for the messages found (replies with no References).
type imapKeys struct {
	known, found, roots map[string]bool
	asked               map[string]map[string]bool // folder → "kind id"
}

func newIMAPKeys(target string) *imapKeys {
	return &imapKeys{
		known: map[string]bool{target: true},
		found: map[string]bool{},
		roots: map[string]bool{target: true},
		asked: map[string]map[string]bool{},
	}
}

// add records a found message; it reports whether anything new is to be
// searched.
func (k *imapKeys) add(m *Message) bool {
	grew := false
	mark := func(set map[string]bool, id string) {
		if id != "" && !set[id] {
			set[id] = true
			grew = true
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
	return grew
}

// anchor records that m was read from folder f together with the whole
// THREAD REFERENCES tree holding it. The server built that tree from the
// same Message-ID, References and In-Reply-To headers the keys search, so
// every message of f that bears or names an id m names is in the tree, and
// already read: searching f again for those ids cannot find anything new.
func (k *imapKeys) anchor(f string, m *Message) {
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

// criteria returns the search for folder f, or nil when nothing is new there.
func (k *imapKeys) criteria(f string, skip imap.UIDSet) *imap.SearchCriteria {
	asked := k.asked[f]
	if asked == nil {
		asked = map[string]bool{}
		k.asked[f] = asked
	}
	var keys []imap.SearchCriteria
	ask := func(field string, ids map[string]bool, want func(string) bool) {
		var list []string
		for id := range ids {
			if want(id) && !asked[field+" "+id] {
				list = append(list, id)
			}
		}
		sort.Strings(list)
		for _, id := range list {
			asked[field+" "+id] = true
			keys = append(keys, imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: field, Value: id}}})
		}
	}
	all := func(string) bool { return true }
	ask("Message-ID", k.known, func(id string) bool { return !k.found[id] })
	ask("References", k.roots, all)
	ask("In-Reply-To", k.found, all)
	ask("In-Reply-To", k.roots, func(id string) bool { return !k.found[id] })
	if len(keys) == 0 {
		return nil
	}
	crit := imapOr(keys)
	if len(skip) > 0 {
		crit.Not = append(crit.Not, imap.SearchCriteria{UID: []imap.UIDSet{skip}})
	}
	return crit
}

// imapRelated returns the normalised ids a message names (its own, its
// parents and references).
func imapRelated(m *Message) []string {
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
		return "", fmt.Errorf("%w: invalid Message-ID %q", ErrNotFound, saslClip(s, 80))
	}
	return "<" + s + ">", nil
}

func imapSameID(a, b string) bool {
	x, err1 := imapNormID(a)
	y, err2 := imapNormID(b)
	return err1 == nil && err2 == nil && x == y
}
