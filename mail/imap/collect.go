package imap

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/emersion/go-imap/v2"
)

// imapMaxRounds bounds the search-until-closure loop: at most this many
// visits per folder searched.
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
//   - runs THREAD REFERENCES once per folder and request at most, and keeps
//     its trees, so every later hit in that folder brings its whole tree;
//     the trees are kept on the connection for later requests while the
//     folder is unchanged (see imapTreeCache);
//   - narrows a search for replies by UID when it can (see bound);
//   - chooses the next folder to search each time (see next).
type imapCollector struct {
	c        *imapConn
	k        *imapKeys
	target   string
	notes    *[]string
	seenUID  map[string]imap.UIDSet
	trees    map[string]*imapTrees // folder → its THREAD trees (nil: THREAD failed)
	missing  map[string]bool
	opened   map[string]bool // searched in this request: its size is current
	byID     map[string]*imapMsg
	found    []*imapMsg
	targetOK bool
}

// collect finds the thread's messages in folders, repeating until no new
// message turns up. Text parts are read while the folder is open (see
// fetchBodies). Messages are deduplicated by Message-ID across folders.
func (c *imapConn) collect(ctx context.Context, folders []string, target string, notes *[]string) ([]*imapMsg, error) {
	s := &imapCollector{
		c: c, k: newKeys(target), target: target, notes: notes,
		seenUID: map[string]imap.UIDSet{},
		trees:   map[string]*imapTrees{},
		missing: map[string]bool{},
		opened:  map[string]bool{},
		byID:    map[string]*imapMsg{},
	}
	for visits := 0; visits < imapMaxRounds*len(folders); visits++ {
		f := s.next(folders)
		if f == "" {
			break
		}
		if err := s.visit(ctx, f); err != nil {
			return nil, err
		}
	}
	kept, apart := imapConnected(s.found, target)
	if apart > 0 {
		*notes = append(*notes, fmt.Sprintf("%d message(s) the server grouped with this thread only by subject were left out.", apart))
	}
	return kept, nil
}

// next returns the folder to search now, "" when nothing is left to ask:
// the open folder if it has something left (no EXAMINE), else the smallest
// that has (sizes as learnt from earlier EXAMINEs on this connection). The
// largest folder, usually INBOX, where opening costs the most (Dovecot:
// ≈ 12 ms for 8,000 messages, plus its thread index rebuilt), is thus
// reopened last if at all, when most of the thread is known, and is often
// still open for the next request.
func (s *imapCollector) next(folders []string) string {
	best := ""
	for _, f := range folders {
		if s.missing[f] || !s.pending(f) {
			continue
		}
		if f == s.c.selected {
			return f
		}
		if best == "" || s.c.sizes[f] < s.c.sizes[best] {
			best = f
		}
	}
	return best
}

// pending reports whether folder f has searches left to ask. A folder found
// empty in this request has none.
func (s *imapCollector) pending(f string) bool {
	if s.opened[f] && s.c.sizes[f] == 0 {
		return false
	}
	return len(s.k.idKeys(f, false)) > 0 || s.targetOK && len(s.k.replyKeys(f, false)) > 0
}

// visit searches folder f for ids not found yet, then for replies.
func (s *imapCollector) visit(ctx context.Context, f string) error {
	for _, replies := range []bool{false, true} {
		var keys []imapKey
		switch {
		case !replies:
			keys = s.k.idKeys(f, true)
		case s.targetOK:
			keys = s.k.replyKeys(f, true)
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
		want := imapNoTrees
		if _, done := s.trees[f]; !done && s.c.caps.Has(imap.Cap("THREAD=REFERENCES")) {
			want = imapNewTrees
			if s.c.trees.has(f) {
				want = imapKeptTrees
			}
		}
		hits, trees, err := s.c.search(ctx, f, crit, want)
		if errors.Is(err, errFolderMissing) {
			s.missing[f] = true
			*s.notes = append(*s.notes, fmt.Sprintf("Folder %q could not be opened; it was not searched.", f))
			return nil
		}
		if err != nil {
			return err
		}
		if want != imapNoTrees {
			s.trees[f] = trees
		}
		s.opened[f] = true
		if mb := s.c.cl.Mailbox(); mb != nil && s.c.selected == f {
			// Counts messages arrived since it was opened (EXISTS).
			s.c.setSize(f, mb.NumMessages)
		}
		if err := s.read(ctx, f, s.trees[f].holding(hits)); err != nil {
			return err
		}
	}
	return nil
}

// read fetches the messages of uids not read yet in folder f and records
// them.
func (s *imapCollector) read(ctx context.Context, f string, uids []imap.UID) error {
	uids = imapNewUIDs(uids, s.seenUID[f])
	if len(uids) == 0 {
		return nil
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
		return err
	}
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
		s.k.add(m.msg)
	}
	// Read their text now, while the folder is open, unless the cap may
	// leave some out (then Thread reads only those kept).
	if len(s.found) <= s.c.src.opts.MaxMessages {
		if err := s.c.fetchBodies(ctx, fresh, true); err != nil {
			return err
		}
	}
	return nil
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
