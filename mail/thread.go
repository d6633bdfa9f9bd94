package mail

import (
	"fmt"
	"slices"
	"time"
)

// BuildThread orders a set of messages (an mbox, a list of files, a search
// result) into a Thread, threading them by References and In-Reply-To in the
// manner of Jamie Zawinski's algorithm: missing parents are skipped over,
// reference loops are broken, and a message whose Message-ID repeats an
// earlier one is dropped when it is the same message (same date, subject and
// text) and kept otherwise. Messages come out by date, oldest first; a
// message without a date sorts right after its parent. Thread.Notes say what
// was dropped or repaired.
func BuildThread(msgs []*Message) *Thread {
	t := &Thread{Messages: []*Message{}}
	var kept []*Message
	var ids []string
	byID := map[string]int{}
	dups, clashes := 0, 0
	for _, m := range msgs {
		if m == nil {
			continue
		}
		id := m.MessageID
		if id != "" {
			if j, ok := byID[id]; ok {
				if sameMessage(kept[j], m) {
					dups++
					continue
				}
				clashes++
				id = ""
			} else {
				byID[id] = len(kept)
			}
		}
		kept = append(kept, m)
		ids = append(ids, id)
	}

	// Containers: one per message and per referenced id (phantoms).
	type node struct {
		msg    int // index in kept, -1 for a phantom
		parent *node
	}
	nodes := map[string]*node{}
	get := func(id string) *node {
		n, ok := nodes[id]
		if !ok {
			n = &node{msg: -1}
			nodes[id] = n
		}
		return n
	}
	// isAncestor reports whether a is b or one of b's ancestors.
	isAncestor := func(a, b *node) bool {
		for steps := 0; b != nil && steps <= len(nodes)+len(kept); steps++ {
			if a == b {
				return true
			}
			b = b.parent
		}
		return false
	}
	own := make([]*node, len(kept))
	for i := range kept {
		if ids[i] != "" {
			own[i] = get(ids[i])
			own[i].msg = i
		} else {
			own[i] = &node{msg: i}
		}
	}
	loops := 0
	for i, m := range kept {
		refs := slices.Clone(m.References)
		if n := len(m.InReplyTo); n > 0 && (len(refs) == 0 || refs[len(refs)-1] != m.InReplyTo[n-1]) {
			refs = append(refs, m.InReplyTo[n-1])
		}
		var prev *node
		for _, r := range refs {
			c := get(r)
			if prev != nil && c.parent == nil && !isAncestor(c, prev) {
				c.parent = prev
			}
			prev = c
		}
		n := own[i]
		if prev != nil && !isAncestor(n, prev) {
			n.parent = prev
		} else if prev != nil {
			loops++
		}
	}

	// Nearest real ancestor, depth and effective date of each message.
	parentOf := make([]int, len(kept))
	depth := make([]int, len(kept))
	for i := range kept {
		parentOf[i] = -1
		steps := 0
		for p := own[i].parent; p != nil && steps <= len(nodes)+len(kept); p = p.parent {
			steps++
			if p.msg >= 0 && p.msg != i {
				if parentOf[i] < 0 {
					parentOf[i] = p.msg
				}
				depth[i]++
			}
		}
	}
	eff := make([]time.Time, len(kept))
	for i := range kept {
		j, steps := i, 0
		for kept[j].Date.IsZero() && parentOf[j] >= 0 && steps < len(kept) {
			j = parentOf[j]
			steps++
		}
		eff[i] = kept[j].Date
	}
	order := make([]int, len(kept))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := eff[a].Compare(eff[b]); c != 0 {
			return c
		}
		return depth[a] - depth[b]
	})
	for _, i := range order {
		t.Messages = append(t.Messages, kept[i])
	}
	if dups > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("%d duplicate message(s) removed", dups))
	}
	if clashes > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("%d message(s) reuse another message's Message-ID and were kept", clashes))
	}
	if loops > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("%d reference loop(s) broken", loops))
	}
	return t
}

// sameMessage reports two copies of one message.
func sameMessage(a, b *Message) bool {
	return a.Date.Equal(b.Date) && a.Subject == b.Subject && a.Text == b.Text
}
