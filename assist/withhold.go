package assist

import (
	"fmt"
	"strings"

	"github.com/plume-admin/plume/mail"
)

// A reply goes to its recipients; its context holds what they already
// know. A mail from outside whose References name another conversation
// makes the source fetch that conversation; without this rule, what a
// citizen wrote to the agent would go into the prompt of a reply to
// someone else, and could come back in the draft.

// recipientsOnly returns the thread as the reply's recipients saw it: the
// message answered, and every message one of them sent or received (From,
// Reply-To, To, Cc). The replier does not count: the mailbox owner is in
// every conversation of the mailbox. It also returns how many messages
// were withheld.
func recipientsOnly(t *mail.Thread, target int, replier mail.Address, replyAll bool) (*mail.Thread, int) {
	if target < 0 || target >= len(t.Messages) || t.Messages[target] == nil {
		return t, 0
	}
	m := t.Messages[target]
	them := map[string]bool{}
	add := func(list []mail.Address) {
		for _, a := range list {
			if k := addrKey(a.Address); k != "" && k != addrKey(replier.Address) {
				them[k] = true
			}
		}
	}
	add(m.From)
	add(m.ReplyTo)
	if replyAll {
		add(m.To)
		add(m.Cc)
	}
	kept := &mail.Thread{}
	withheld := 0
	for i, x := range t.Messages {
		if i == target || x != nil && knows(x, them) {
			kept.Messages = append(kept.Messages, x)
			continue
		}
		withheld++
	}
	if withheld == 0 {
		return t, 0
	}
	return kept, withheld
}

// knows reports whether one of them sent or received x.
func knows(x *mail.Message, them map[string]bool) bool {
	for _, list := range [][]mail.Address{x.From, x.ReplyTo, x.To, x.Cc} {
		for _, a := range list {
			if them[addrKey(a.Address)] {
				return true
			}
		}
	}
	return false
}

func addrKey(a string) string { return strings.ToLower(strings.TrimSpace(a)) }

// withheldNote says, in the answer's language, what recipientsOnly left out.
func withheldNote(n int, lang string) string {
	if lang == "en" {
		return fmt.Sprintf("%d message(s) of the thread withheld from the reply's context: its recipients neither sent nor received them", n)
	}
	return fmt.Sprintf("%d message(s) du fil écarté(s) du contexte de la réponse : ses destinataires ne les ont ni envoyés ni reçus", n)
}

// outsiders counts the messages whose sender appears nowhere else in the
// thread and that are not its first message: mail from outside that links
// itself into a conversation through its References. A summary for the
// mailbox owner shows them, flagged.
func outsiders(t *mail.Thread) int {
	n := 0
	for i, m := range t.Messages {
		if i == 0 || m == nil || len(m.From) == 0 {
			continue
		}
		sender := map[string]bool{addrKey(m.From[0].Address): true}
		seen := false
		for j, o := range t.Messages {
			if j != i && o != nil && knows(o, sender) {
				seen = true
				break
			}
		}
		if !seen {
			n++
		}
	}
	return n
}

// outsidersNote says, in the answer's language, that the thread holds mail
// from outside senders linking into it.
func outsidersNote(n int, lang string) string {
	if lang == "en" {
		return fmt.Sprintf("%d message(s) from a sender who appears nowhere else in this conversation: check that it belongs here", n)
	}
	return fmt.Sprintf("%d message(s) d'un expéditeur absent du reste de cette conversation : vérifiez qu'il s'y rattache", n)
}
