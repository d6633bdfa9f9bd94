package imap

// Reading a message's BODYSTRUCTURE: which parts hold the text to show and
// which are attachments (with their IMAP part paths), and decoding the bytes
// of a fetched part (transfer encoding, then charset).

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/quotedprintable"
	"strconv"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-message/charset"

	"github.com/plume-admin/plume/mail"
)

// imapTextPart is one body part holding text to show.
type imapTextPart struct {
	part     []int
	encoding string
	charset  string
	size     int64 // encoded size from BODYSTRUCTURE
}

// imapPlan says which parts of a message to fetch and which are attachments.
type imapPlan struct {
	plain, html []imapTextPart
	attachments []mail.Attachment
	// encrypted is set for multipart/encrypted and S/MIME enveloped data.
	encrypted bool
}

const imapMaxDepth = 50
const imapMaxParts = 1000

// imapPlanBody maps a BODYSTRUCTURE to a imapPlan. It accepts any shape the
// client library decodes, including absurd ones, without panicking.
func imapPlanBody(bs imap.BodyStructure) imapPlan {
	var p imapPlan
	n := 0
	p.walk(bs, nil, 0, &n)
	return p
}

func (p *imapPlan) walk(bs imap.BodyStructure, path []int, depth int, n *int) {
	*n++
	if bs == nil || depth > imapMaxDepth || *n > imapMaxParts {
		return
	}
	switch b := bs.(type) {
	case *imap.BodyStructureMultiPart:
		sub := strings.ToLower(b.Subtype)
		switch sub {
		case "encrypted":
			p.encrypted = true
			return
		case "signed":
			if len(b.Children) > 0 {
				p.walk(b.Children[0], imapChildPath(path, 1), depth+1, n)
			}
			return
		case "alternative":
			// One plain and one HTML version at most: the first of each.
			var gotPlain, gotHTML bool
			for i, child := range b.Children {
				var q imapPlan
				q.walk(child, imapChildPath(path, i+1), depth+1, n)
				if !gotPlain && len(q.plain) > 0 {
					p.plain, gotPlain = append(p.plain, q.plain...), true
				}
				if !gotHTML && len(q.html) > 0 {
					p.html, gotHTML = append(p.html, q.html...), true
				}
				p.attachments = append(p.attachments, q.attachments...)
				p.encrypted = p.encrypted || q.encrypted
			}
			return
		}
		for i, child := range b.Children {
			p.walk(child, imapChildPath(path, i+1), depth+1, n)
		}
	case *imap.BodyStructureSinglePart:
		if len(path) == 0 {
			path = []int{1}
		}
		p.single(b, path)
	}
}

func imapChildPath(path []int, i int) []int {
	out := make([]int, len(path), len(path)+1)
	copy(out, path)
	return append(out, i)
}

func (p *imapPlan) single(b *imap.BodyStructureSinglePart, path []int) {
	mt := b.MediaType()
	disp := ""
	if d := b.Disposition(); d != nil {
		disp = strings.ToLower(d.Value)
	}
	name := imapDecodeWords(b.Filename())
	switch mt {
	case "application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature":
		return
	case "application/pkcs7-mime", "application/x-pkcs7-mime", "application/pgp-encrypted":
		p.encrypted = true
		return
	}
	if (mt == "text/plain" || mt == "text/html") && name == "" && disp != "attachment" {
		tp := imapTextPart{part: path, encoding: strings.ToLower(b.Encoding), charset: b.Params["charset"], size: int64(b.Size)}
		if mt == "text/plain" {
			p.plain = append(p.plain, tp)
		} else {
			p.html = append(p.html, tp)
		}
		return
	}
	if name == "" {
		name = "part-" + imapPartString(path) + imapDefaultExt(mt)
		if mt == "message/rfc822" && b.MessageRFC822 != nil && b.MessageRFC822.Envelope != nil && b.MessageRFC822.Envelope.Subject != "" {
			name = b.MessageRFC822.Envelope.Subject + ".eml"
		}
	}
	size := int64(b.Size)
	if strings.EqualFold(b.Encoding, "base64") {
		size = size * 57 / 78 // 76 base64 chars + CRLF carry 57 bytes
	}
	p.attachments = append(p.attachments, mail.Attachment{
		Name:      name,
		MediaType: mt,
		Size:      size,
		PartPath:  imapPartString(path),
		ContentID: strings.Trim(b.ID, "<> "),
		Inline:    disp == "inline" || (disp == "" && b.ID != "" && strings.HasPrefix(mt, "image/")),
	})
}

func imapDefaultExt(mt string) string {
	switch mt {
	case "message/rfc822":
		return ".eml"
	case "text/calendar":
		return ".ics"
	case "application/pdf":
		return ".pdf"
	}
	if exts, _ := mime.ExtensionsByType(mt); len(exts) > 0 {
		return exts[0]
	}
	return ""
}

var imapWordDecoder = &mime.WordDecoder{CharsetReader: charset.Reader}

func imapDecodeWords(s string) string {
	if d, err := imapWordDecoder.DecodeHeader(s); err == nil {
		return d
	}
	return s
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

// imapDecodeTransfer undoes a Content-Transfer-Encoding. Broken input is decoded
// as far as it goes (a cut base64 tail is dropped).
func imapDecodeTransfer(raw []byte, encoding string) []byte {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		clean := make([]byte, 0, len(raw))
		for _, c := range raw {
			if c == '=' || c == '+' || c == '/' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') {
				clean = append(clean, c)
			}
		}
		if i := bytes.IndexByte(clean, '='); i >= 0 {
			clean = clean[:i]
		}
		if len(clean)%4 == 1 {
			clean = clean[:len(clean)-1]
		}
		out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
		n, _ := base64.RawStdEncoding.Decode(out, clean)
		return out[:n]
	case "quoted-printable":
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
		if err != nil {
			// Keep what decoded; the rest is appended raw rather than lost.
			return append(out, raw[min(len(raw), len(out)):]...)
		}
		return out
	default:
		return raw
	}
}

// imapDecodeText turns the fetched bytes of a text part into UTF-8. An unknown
// charset is read as UTF-8 (invalid bytes replaced) and reported.
func imapDecodeText(raw []byte, encoding, cs string) (string, bool) {
	b := imapDecodeTransfer(raw, encoding)
	cs = strings.ToLower(strings.TrimSpace(cs))
	if cs == "" || cs == "utf-8" || cs == "us-ascii" || cs == "utf8" {
		return strings.ToValidUTF8(string(b), "\uFFFD"), true
	}
	r, err := charset.Reader(cs, bytes.NewReader(b))
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD"), false
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD"), false
	}
	return strings.ToValidUTF8(string(out), "\uFFFD"), true
}
