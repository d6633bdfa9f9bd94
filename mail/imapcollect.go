package mail

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/emersion/go-imap/v2"
)

// imapMaxRounds bounds the search-until-closure loop.
const imapMaxRounds = 4

// imapCollector gathers the messages of one thread across folders.
//
// Dovecot and most servers answer a header search by reading the header of
// every message of the folder once per header field named, so the cost of
// a search is about (messages in the folder) × (fields searched); the number
// of ids searched for matters far less. The collector therefore:
//   - asks a folder for Message-IDs first, alone, and only then for replies
//     (References, In-Reply-To), after the THREAD REFERENCES trees of what
//     was found have answered most of them (see imapKeys.anchor);
//   - asks for replies only once the target itself has been found (until
//     then nothing is known that replies could be searched for, and a
//     target found nowhere is an error anyway);
//   - runs THREAD REFERENCES once per folder and request, and keeps its trees,
//     so every later hit in that folder brings its whole tree;
//   - narrows a search for replies by UID when it can (see bound).
type imapCollector struct {
	c        *imapConn
	k        *imapKeys
	target   string
	notes    *[]string
	seenUID  map[string]imap.UIDSet
	trees    map[string]*imapTrees // folder → its THREAD trees (nil: THREAD failed)
	missing  map[string]bool
	byID     map[string]*imapMsg
	found    []*imapMsg
	targetOK bool
}

// collect finds the thread's messages in folders, repeating until no new
// message turns up. Text parts are read while the folder is open (see
// fetchBodies). Messages are deduplicated by Message-ID across folders.
func (c *imapConn) collect(ctx context.Context, folders []string, target string, notes *[]string) ([]*imapMsg, error) {
	s := &imapCollector{
		c: c, k: newIMAPKeys(target), target: target, notes: notes,
		seenUID: map[string]imap.UIDSet{},
		trees:   map[string]*imapTrees{},
		missing: map[string]bool{},
		byID:    map[string]*imapMsg{},
	}
	for round := 0; round < imapMaxRounds; round++ {
		progress := false
		for _, f := range c.searchOrder(folders) {
			if s.missing[f] {
				continue
			}
			p, err := s.visit(ctx, f)
			if err != nil {
				return nil, err
			}
			progress = progress || p
		}
		if !progress {
			break
		}
	}
	kept, apart := imapConnected(s.found, target)
	if apart > 0 {
		*notes = append(*notes, fmt.Sprintf("%d message(s) the server grouped with this thread only by subject were left out.", apart))
	}
	return kept, nil
}

// visit searches folder f for ids not found yet, then for replies; it
// reports whether anything new turned up.
func (s *imapCollector) visit(ctx context.Context, f string) (bool, error) {
	progress := false
	for _, replies := range []bool{false, true} {
		var keys []imapKey
		switch {
		case !replies:
			keys = s.k.idKeys(f)
		case s.targetOK:
			keys = s.k.replyKeys(f)
		}
		if len(keys) == 0 {
			continue
		}
		crit := imapKeyCriteria(keys)
		if replies {
			if b := s.bound(f, keys); b > 0 {
				crit.UID = append(crit.UID, imap.UIDSet{{Start: b + 1, Stop: 0}})
			}
		}
		if skip := s.seenUID[f]; len(skip) > 0 {
			crit.Not = append(crit.Not, imap.SearchCriteria{UID: []imap.UIDSet{skip}})
		}
		_, threaded := s.trees[f]
		wantThread := !threaded && s.c.caps.Has(imap.Cap("THREAD=REFERENCES"))
		hits, trees, err := s.c.search(ctx, f, crit, wantThread)
		if errors.Is(err, errFolderMissing) {
			s.missing[f] = true
			*s.notes = append(*s.notes, fmt.Sprintf("Folder %q could not be opened; it was not searched.", f))
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if wantThread {
			s.trees[f] = trees
		}
		p, err := s.read(ctx, f, s.trees[f].holding(hits))
		if err != nil {
			return false, err
		}
		progress = progress || p
	}
	return progress, nil
}

// read fetches the messages of uids not read yet in folder f and records
// them; it reports whether they name anything new.
func (s *imapCollector) read(ctx context.Context, f string, uids []imap.UID) (bool, error) {
	uids = imapNewUIDs(uids, s.seenUID[f])
	if len(uids) == 0 {
		return false, nil
	}
	if limit := 4 * s.c.src.opts.MaxMessages; len(uids) > limit {
		// UIDs grow with arrival: keep the newest.
		sort.Slice(uids, func(i, j int) bool { return uids[i] > uids[j] })
		*s.notes = append(*s.notes, fmt.Sprintf("Folder %q holds %d related messages; only the newest %d were read.", f, len(uids), limit))
		uids = uids[:limit]
	}
	set := s.seenUID[f]
	set.AddNum(uids...)
	s.seenUID[f] = set
	msgs, err := s.c.fetchHeaders(ctx, f, uids)
	if err != nil {
		return false, err
	}
	progress := false
	var fresh []*imapMsg
	for _, m := range msgs {
		if s.trees[f] != nil {
			s.k.anchor(f, m.msg)
		}
		id, _ := imapNormID(m.msg.MessageID)
		if id != "" {
			if _, dup := s.byID[id]; dup {
				continue
			}
			s.byID[id] = m
		}
		if id == s.target {
			s.targetOK = true
		}
		s.found = append(s.found, m)
		fresh = append(fresh, m)
		if s.k.add(m.msg) {
			progress = true
		}
	}
	// Read their text now, while the folder is open, unless the cap may
	// leave some out (then Thread reads only those kept).
	if len(s.found) <= s.c.src.opts.MaxMessages {
		if err := s.c.fetchBodies(ctx, fresh); err != nil {
			return false, err
		}
	}
	return progress, nil
}

// bound returns a UID of folder f below which no reply searched for by keys
// can be, or 0 when there is none. A reply to message x was written after x,
// and x after every message it answers; a message x answers that sits in f
// with UID u arrived in f before x was written, so replies to x that sit in
// f arrived later and have UIDs above u (UIDs grow with arrival). The bound
// holds unless that message was moved into f after the reply arrived (a move
// gives it a new, higher UID). Keys naming a message not found, or one
// answering nothing in f, leave the search unbounded.
func (s *imapCollector) bound(f string, keys []imapKey) imap.UID {
	var b imap.UID
	for i, key := range keys {
		x := s.byID[key.id]
		if x == nil {
			return 0
		}
		var kb imap.UID
		for _, r := range append(append([]string{}, x.msg.InReplyTo...), x.msg.References...) {
			id, err := imapNormID(r)
			if err != nil {
				continue
			}
			if p := s.byID[id]; p != nil && p.folder == f && p.uid > kb {
				kb = p.uid
			}
		}
		if kb == 0 {
			return 0
		}
		if i == 0 || kb < b {
			b = kb
		}
	}
	return b
}

// imapConnected keeps the messages linked to the target by Message-ID,
// References or In-Reply-To, directly or through other messages or ids they
// share (a parent missing from the mailbox still links its replies). THREAD
// REFERENCES also gathers unrelated messages whose subjects are the same
// (RFC 5256, step 5: two citizens' "Demande de rendez-vous"); Thunderbird
// does not show those as one thread by default, and neither does Plume. It
// returns the kept messages and how many were left out.
func imapConnected(found []*imapMsg, target string) ([]*imapMsg, int) {
	parent := map[string]string{} // union-find over ids; a root is its own parent
	root := func(id string) string {
		for parent[id] != id {
			parent[id] = parent[parent[id]]
			id = parent[id]
		}
		return id
	}
	union := func(a, b string) {
		if ra, rb := root(a), root(b); ra != rb {
			parent[ra] = rb
		}
	}
	ids := make([][]string, len(found))
	for i, m := range found {
		ids[i] = imapRelated(m.msg)
		for _, id := range ids[i] {
			if _, ok := parent[id]; !ok {
				parent[id] = id
			}
		}
		for _, id := range ids[i][1:] {
			union(ids[i][0], id)
		}
	}
	if _, ok := parent[target]; !ok {
		return found, 0
	}
	want := root(target)
	var kept []*imapMsg
	for i, m := range found {
		if len(ids[i]) > 0 && root(ids[i][0]) == want {
			kept = append(kept, m)
		}
	}
	return kept, len(found) - len(kept)
}
