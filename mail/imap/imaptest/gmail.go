package imaptest

// A stand-in for Gmail. Real Gmail cannot run in a test, so StartGmail
// lays out go-imap's in-memory server the way Gmail lays out a mailbox and
// puts in front of it a small proxy that answers the two Gmail commands
// Plume sends, X-GM-THRID in FETCH and SEARCH, from a table built from the
// seed. The table groups messages into conversations the way Gmail is
// documented to: by References and In-Reply-To, and by subject for messages
// that have neither. It is a model of Gmail, not Gmail: what it proves is
// that Plume speaks the commands right and reads what they answer.

import (
	"bytes"
	"fmt"
	netmail "net/mail"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-imap/v2"
)

// Gmail's folders, as StartGmail creates them (English names).
const (
	GmailSent  = "[Gmail]/Sent Mail"
	GmailAll   = "[Gmail]/All Mail"
	GmailTrash = "[Gmail]/Trash"
)

// gmailThridBase makes thread ids look like Gmail's 64-bit ones.
const gmailThridBase = 1600000000000000000

// Gmail is a running Gmail stand-in.
type Gmail struct {
	*Server

	table []gmailEntry

	mu   sync.Mutex
	cmds []string
}

// gmailEntry is one message of All Mail: its UID there is its index + 1.
type gmailEntry struct {
	id    string // Message-ID, "<...>"
	thrid uint64
}

// StartGmail starts a Gmail stand-in for t: INBOX, GmailSent (\Sent),
// GmailAll (\All) and GmailTrash (\Trash), X-GM-EXT-1 advertised. Each of
// opts.Messages is appended to its folder and, unless it is in GmailTrash,
// to GmailAll too, as Gmail shows every message there once; a message
// whose Folder is GmailAll is only there (archived). All Mail UIDs follow
// the order of opts.Messages from 1. Server.Addr is the proxy's address.
func StartGmail(t testing.TB, opts Options) *Gmail {
	t.Helper()
	var seed, all []Message
	for _, m := range opts.Messages {
		if m.Folder != GmailAll {
			seed = append(seed, m)
		}
		if m.Folder != GmailTrash {
			all = append(all, Message{Folder: GmailAll, Raw: m.Raw})
		}
	}
	mem := startMem(t, opts, memSetup{
		folders: []string{Inbox, GmailSent, GmailAll, GmailTrash},
		attrs:   map[string]imap.MailboxAttr{GmailSent: imap.MailboxAttrSent, GmailAll: imap.MailboxAttrAll, GmailTrash: imap.MailboxAttrTrash},
		seed:    append(seed, all...),
	})
	g := &Gmail{table: gmailTable(all)}
	p := &lineProxy{backend: mem.Addr, open: g.session, response: func(line string) string {
		// imapserver advertises only the capabilities it knows.
		return strings.Replace(line, "CAPABILITY IMAP4rev1", "CAPABILITY IMAP4rev1 X-GM-EXT-1", 1)
	}}
	srv := *mem
	srv.Kind = "gmail"
	srv.Addr = p.listen(t)
	g.Server = &srv
	return g
}

// Commands returns the command lines clients sent so far, without tags
// and literal contents.
func (g *Gmail) Commands() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.cmds...)
}

// ThreadID returns the X-GM-THRID the stand-in gave the message with this
// Message-ID ("<...>"), or 0 when it is not in All Mail.
func (g *Gmail) ThreadID(messageID string) uint64 {
	for _, e := range g.table {
		if e.id == messageID {
			return e.thrid
		}
	}
	return 0
}

var gmailIDs = regexp.MustCompile(`<[^<>\s]+>`)

// gmailTable numbers the messages of All Mail and groups them into
// conversations: a message joins those it names in References or
// In-Reply-To (or that name the same ids), and a message naming none joins
// the others of its normalised subject. A conversation's id is
// gmailThridBase plus the UID of its first message.
func gmailTable(all []Message) []gmailEntry {
	n := len(all)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra < rb {
			parent[rb] = ra
		} else {
			parent[ra] = rb
		}
	}
	table := make([]gmailEntry, n)
	named := map[string]int{}   // id (own or referenced) → first message naming it
	subject := map[string]int{} // normalised subject → first message without references
	for i, m := range all {
		h, err := netmail.ReadMessage(bytes.NewReader(m.Raw))
		if err != nil {
			continue
		}
		own := gmailIDs.FindString(h.Header.Get("Message-ID"))
		table[i].id = own
		refs := gmailIDs.FindAllString(h.Header.Get("References")+" "+h.Header.Get("In-Reply-To"), -1)
		for _, id := range append(refs, own) {
			if id == "" {
				continue
			}
			if j, ok := named[id]; ok {
				union(i, j)
			} else {
				named[id] = i
			}
		}
		if len(refs) == 0 {
			s := gmailSubject(h.Header.Get("Subject"))
			if j, ok := subject[s]; ok && s != "" {
				union(i, j)
			} else {
				subject[s] = i
			}
		}
	}
	for i := range table {
		table[i].thrid = gmailThridBase + uint64(find(i)) + 1
	}
	return table
}

var gmailPrefix = regexp.MustCompile(`(?i)^\s*(re|fw|fwd|tr|réf)\s*:\s*`)

func gmailSubject(s string) string {
	for {
		t := gmailPrefix.ReplaceAllString(s, "")
		if t == s {
			return strings.ToLower(strings.TrimSpace(s))
		}
		s = t
	}
}

// session answers Gmail's commands for one client connection, tracking
// the folder it opened.
func (g *Gmail) session() session {
	selected := ""
	return func(tag, cmd string, _ func(string) error) (string, bool) {
		g.mu.Lock()
		g.cmds = append(g.cmds, cmd)
		g.mu.Unlock()
		if reply, ok := g.answer(tag, cmd, selected); ok {
			return reply, true
		}
		if box, ok := gmailSelect(cmd); ok {
			selected = box
		}
		return "", false
	}
}

// answer returns the stand-in's response to cmd when it is one of Gmail's.
func (g *Gmail) answer(tag, cmd, selected string) (string, bool) {
	f := strings.Fields(strings.ToUpper(cmd))
	var sb strings.Builder
	switch {
	case len(f) == 4 && f[0] == "UID" && f[1] == "FETCH" && f[3] == "(X-GM-THRID)":
		if selected != GmailAll {
			return tag + " NO [CANNOT] stand-in: X-GM-THRID is answered in " + GmailAll + " only\r\n", true
		}
		for _, uid := range gmailUIDs(f[2], len(g.table)) {
			// No message is ever expunged: sequence number = UID.
			fmt.Fprintf(&sb, "* %d FETCH (X-GM-THRID %d UID %d)\r\n", uid, g.table[uid-1].thrid, uid)
		}
		return sb.String() + tag + " OK Success\r\n", true
	case len(f) == 4 && f[0] == "UID" && f[1] == "SEARCH" && f[2] == "X-GM-THRID":
		if selected != GmailAll {
			return tag + " NO [CANNOT] stand-in: X-GM-THRID is answered in " + GmailAll + " only\r\n", true
		}
		want, err := strconv.ParseUint(f[3], 10, 64)
		if err != nil {
			return tag + " BAD Could not parse command\r\n", true
		}
		sb.WriteString("* SEARCH")
		for i, e := range g.table {
			if e.thrid == want {
				fmt.Fprintf(&sb, " %d", i+1)
			}
		}
		return sb.String() + "\r\n" + tag + " OK SEARCH completed (Success)\r\n", true
	}
	return "", false
}

// gmailSelect returns the mailbox a SELECT or EXAMINE opens.
func gmailSelect(cmd string) (string, bool) {
	verb, rest, _ := strings.Cut(cmd, " ")
	if !strings.EqualFold(verb, "SELECT") && !strings.EqualFold(verb, "EXAMINE") {
		return "", false
	}
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, `"`) {
		if i := strings.Index(rest[1:], `" `); i >= 0 && !strings.HasSuffix(rest, `"`) {
			rest = rest[:i+2]
		}
		box, err := strconv.Unquote(rest)
		return box, err == nil
	}
	box, _, _ := strings.Cut(rest, " ")
	return box, true
}

// gmailUIDs expands a UID set ("4", "1:3,7", "2:*") against UIDs 1..n.
func gmailUIDs(set string, n int) []int {
	var out []int
	num := func(s string) int {
		if s == "*" {
			return n
		}
		v, err := strconv.Atoi(s)
		if err != nil {
			return 0
		}
		return v
	}
	for _, r := range strings.Split(set, ",") {
		lo, hi, ok := strings.Cut(r, ":")
		a, b := num(lo), num(lo)
		if ok {
			b = num(hi)
		}
		if a > b {
			a, b = b, a
		}
		for u := max(a, 1); u <= min(b, n); u++ {
			out = append(out, u)
		}
	}
	return out
}
