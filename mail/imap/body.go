package imap

// Reading a message's BODYSTRUCTURE: which sections to fetch so that
// package mail decodes the message as it decodes the same message read
// whole, and part paths.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/plume-admin/plume/mail"
)

// layout is what a message's BODYSTRUCTURE says to fetch for package
// mail's decoder ([mail.Decode]): the MIME header of every part below the
// top one, the body of the parts that may hold text, the decoded size of
// the others. Which part is text and which an attachment is decided by the
// decoder, from the fetched headers, not here.
type layout struct {
	path      []int
	multipart bool
	text      bool   // text/plain or text/html not marked attachment: body fetched
	encoding  string // Content-Transfer-Encoding
	size      int64  // encoded size, from BODYSTRUCTURE
	children  []*layout
}

const imapMaxDepth = mail.DefaultMaxDepth
const imapMaxParts = mail.DefaultMaxParts

// layoutOf maps a BODYSTRUCTURE to a layout. It accepts any shape the
// client library decodes, including absurd ones, without panicking: past
// the default mail.Limits the tree is cut, and the decoder says so.
func layoutOf(bs imap.BodyStructure) *layout {
	n := 0
	return layoutWalk(bs, nil, 0, &n)
}

func layoutWalk(bs imap.BodyStructure, path []int, depth int, n *int) *layout {
	*n++
	switch b := bs.(type) {
	case *imap.BodyStructureMultiPart:
		l := &layout{path: path, multipart: true}
		for i, child := range b.Children {
			if depth >= imapMaxDepth || *n > imapMaxParts {
				break
			}
			l.children = append(l.children, layoutWalk(child, imapChildPath(path, i+1), depth+1, n))
		}
		return l
	case *imap.BodyStructureSinglePart:
		if len(path) == 0 {
			path = []int{1}
		}
		mt := b.MediaType()
		disp := ""
		if d := b.Disposition(); d != nil {
			disp = strings.ToLower(d.Value)
		}
		return &layout{
			path:     path,
			text:     (mt == "text/plain" || mt == "text/html") && disp != "attachment",
			encoding: strings.ToLower(b.Encoding),
			size:     int64(b.Size),
		}
	}
	return &layout{path: []int{1}}
}

func imapChildPath(path []int, i int) []int {
	out := make([]int, len(path), len(path)+1)
	copy(out, path)
	return append(out, i)
}

// sections lists the BODY.PEEK items the layout needs; text bodies are cut
// at max bytes, and none are asked when withText is unset. Attachments are
// not read: their decoded size is estimated (see estimate).
func (l *layout) sections(max int64, withText bool) []*imap.FetchItemBodySection {
	var body []*imap.FetchItemBodySection
	var visit func(l *layout, top bool)
	visit = func(l *layout, top bool) {
		if !top {
			body = append(body, &imap.FetchItemBodySection{Specifier: imap.PartSpecifierMIME, Part: l.path, Peek: true})
		}
		switch {
		case l.multipart:
			for _, c := range l.children {
				visit(c, false)
			}
		case l.text && withText:
			body = append(body, l.textSection(max))
		}
	}
	visit(l, true)
	return body
}

// textSection is the BODY.PEEK item that reads a text part, cut at max bytes.
func (l *layout) textSection(max int64) *imap.FetchItemBodySection {
	sec := &imap.FetchItemBodySection{Part: l.path, Peek: true}
	if l.size > max {
		sec.Partial = &imap.SectionPartial{Offset: 0, Size: max}
	}
	return sec
}

// part assembles the fetched sections of b into the tree mail.Decode
// reads; header is the message header. cut reports text bodies cut at max.
func (l *layout) part(header []byte, b *imapclient.FetchMessageBuffer, max int64, withText bool) (p mail.Part, cut bool) {
	var build func(l *layout, top bool) mail.Part
	build = func(l *layout, top bool) mail.Part {
		var p mail.Part
		if top {
			p.Header = header
		} else {
			p.Header = b.FindBodySection(&imap.FetchItemBodySection{Specifier: imap.PartSpecifierMIME, Part: l.path, Peek: true})
		}
		switch {
		case l.multipart:
			for _, c := range l.children {
				p.Parts = append(p.Parts, build(c, false))
			}
		case l.text && withText:
			p.Body = b.FindBodySection(l.textSection(max))
			if p.Body == nil {
				p.Body = []byte{}
			}
			if l.size > max {
				cut = true
				p.Size = l.estimate()
			}
		default:
			p.Size = l.estimate()
		}
		return p
	}
	return build(l, true), cut
}

// estimate is the decoded size of a part not read, from its encoded size
// in BODYSTRUCTURE: exact to a few bytes for base64 in lines of 76 (what
// clients send), the encoded size otherwise. Servers' BINARY.SIZE is no
// better: Dovecot 2.3 answers 590 for a 700-byte base64 part.
func (l *layout) estimate() int64 {
	if l.encoding != "base64" || l.size <= 0 {
		return l.size
	}
	lines := (l.size + 77) / 78
	return max(l.size-2*lines, 0) * 3 / 4
}

// key identifies the set of sections a layout needs.
func (l *layout) key(max int64) string {
	var sb strings.Builder
	var visit func(l *layout)
	visit = func(l *layout) {
		fmt.Fprintf(&sb, "%s:%t/%t/%t/%s(", imapPartString(l.path), l.multipart, l.text, l.size > max, l.encoding)
		for _, c := range l.children {
			visit(c)
		}
		sb.WriteByte(')')
	}
	visit(l)
	return sb.String()
}

// imapPartString formats a part path as "1.2.3".
func imapPartString(path []int) string {
	var sb strings.Builder
	for i, n := range path {
		if i > 0 {
			sb.WriteByte('.')
		}
		sb.WriteString(strconv.Itoa(n))
	}
	return sb.String()
}

// imapParsePartPath reads "1.2.3"; ok is false for anything else.
func imapParsePartPath(s string) ([]int, bool) {
	if s == "" || len(s) > 200 {
		return nil, false
	}
	var out []int
	for _, f := range strings.Split(s, ".") {
		if f == "" || len(f) > 6 || f[0] == '0' || strings.Trim(f, "0123456789") != "" {
			return nil, false
		}
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

// imapFindPart returns the single part at path in bs, or nil.
func imapFindPart(bs imap.BodyStructure, path []int) *imap.BodyStructureSinglePart {
	var found *imap.BodyStructureSinglePart
	if bs == nil {
		return nil
	}
	if sp, ok := bs.(*imap.BodyStructureSinglePart); ok {
		if len(path) == 1 && path[0] == 1 {
			return sp
		}
		return nil
	}
	bs.Walk(func(p []int, part imap.BodyStructure) bool {
		if found != nil {
			return false
		}
		if sp, ok := part.(*imap.BodyStructureSinglePart); ok && imapEqualPath(p, path) {
			found = sp
		}
		return true
	})
	return found
}

func imapEqualPath(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
