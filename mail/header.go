package mail

import (
	"bufio"
	"bytes"
	"mime"
	netmail "net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/textproto"
	"golang.org/x/text/encoding/charmap"
)

// ParseHeader reads a header block, such as IMAP BODY[HEADER] returns, into a
// Message with its ids, addresses, date, subject, selected headers and the
// security flags its Content-Type shows. The body fields stay empty; fill
// them with [Message.SetBody]. Malformed header lines are skipped.
func ParseHeader(raw []byte) (*Message, error) {
	h, _, warn, err := readHeader(raw)
	if err != nil {
		return nil, err
	}
	m := &Message{}
	fillHeader(m, h)
	m.Cleaning.Warnings = append(m.Cleaning.Warnings, warn...)
	return m, nil
}

// readHeader splits raw at the end of its header block and parses the block
// leniently. It returns the header, the body bytes and warnings.
func readHeader(raw []byte) (message.Header, []byte, []string, error) {
	// A leading mbox "From " envelope line is not a header.
	if bytes.HasPrefix(raw, []byte("From ")) {
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			raw = raw[i+1:]
		}
	}
	end, bodyStart := headerEnd(raw)
	block := raw[:end]
	body := raw[bodyStart:]
	var warn []string
	if !validHeaderBlock(block) {
		if first := firstLine(block); len(block) > 0 && !isHeaderLine(first) {
			return message.Header{}, nil, nil, ErrMalformed
		}
		block = sanitizeHeader(block)
		warn = append(warn, "malformed header lines were skipped")
	}
	buf := make([]byte, 0, len(block)+4)
	buf = append(buf, block...)
	buf = append(buf, "\r\n\r\n"...)
	h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(buf)))
	if err != nil {
		warn = append(warn, "header could not be read completely")
	}
	return message.Header{Header: h}, body, warn, nil
}

// headerEnd finds the blank line ending the header block.
func headerEnd(raw []byte) (end, bodyStart int) {
	i := 0
	for i < len(raw) {
		j := bytes.IndexByte(raw[i:], '\n')
		if j < 0 {
			return len(raw), len(raw)
		}
		line := raw[i : i+j]
		if len(line) == 0 || (len(line) == 1 && line[0] == '\r') {
			return i, i + j + 1
		}
		i += j + 1
	}
	return len(raw), len(raw)
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return bytes.TrimRight(b[:i], "\r")
	}
	return b
}

func isHeaderLine(line []byte) bool {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return false
	}
	for _, c := range bytes.TrimRight(line[:i], " \t") {
		if c <= ' ' || c >= 127 {
			return false
		}
	}
	return true
}

func validHeaderBlock(block []byte) bool {
	first := true
	for len(block) > 0 {
		line := block
		if i := bytes.IndexByte(block, '\n'); i >= 0 {
			line, block = block[:i], block[i+1:]
		} else {
			block = nil
		}
		line = bytes.TrimRight(line, "\r")
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
			if first {
				return false
			}
			continue
		}
		if !isHeaderLine(line) {
			return false
		}
		first = false
	}
	return true
}

// sanitizeHeader keeps only well-formed fields and their continuations.
func sanitizeHeader(block []byte) []byte {
	var out []byte
	keep := false
	for _, line := range bytes.Split(block, []byte("\n")) {
		line = bytes.TrimRight(line, "\r")
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
			if keep {
				out = append(out, line...)
				out = append(out, '\r', '\n')
			}
			continue
		}
		keep = isHeaderLine(line)
		if keep {
			out = append(out, line...)
			out = append(out, '\r', '\n')
		}
	}
	return bytes.TrimRight(out, "\r\n")
}

// wordDecoder decodes RFC 2047 encoded words with every charset go-message knows.
var wordDecoder = mime.WordDecoder{CharsetReader: charset.Reader}

// decodeText decodes an unstructured header value; raw 8-bit bytes that are
// not UTF-8 are read as Windows-1252, the usual case in French mail.
func decodeText(v string) string {
	if !utf8.ValidString(v) {
		v = latin1(v)
	}
	if strings.Contains(v, "=?") {
		if d, err := wordDecoder.DecodeHeader(v); err == nil {
			v = d
		}
	}
	if !utf8.ValidString(v) {
		v = strings.ToValidUTF8(v, "\uFFFD")
	}
	return strings.TrimSpace(unfold(v))
}

func unfold(v string) string {
	if !strings.ContainsAny(v, "\r\n") {
		return v
	}
	return strings.Join(strings.Fields(v), " ")
}

func latin1(s string) string {
	d, err := charmap.Windows1252.NewDecoder().String(s)
	if err != nil {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return d
}

// keptHeaders selects the headers copied to Message.Headers: those that may
// carry a protection marking or tell how the mail was produced.
var keptHeaders = []string{
	"classif", "sensitiv", "marking", "protect", "diffusion", "confiden",
	"msip", "label", "security", "keywords", "importance", "priority",
	"x-mailer", "user-agent", "list-id", "auto-submitted", "thread-topic",
}

const (
	maxKeptHeaders   = 40
	maxKeptHeaderLen = 2000
)

func fillHeader(m *Message, h message.Header) {
	m.MessageID = firstID(h.Get("Message-Id"))
	m.InReplyTo = parseIDs(h.Get("In-Reply-To"))
	m.References = parseIDs(h.Get("References"))
	m.From = parseAddresses(h.Get("From"))
	m.To = parseAddresses(h.Get("To"))
	m.Cc = parseAddresses(h.Get("Cc"))
	m.ReplyTo = parseAddresses(h.Get("Reply-To"))
	if raw := strings.TrimSpace(h.Get("Date")); raw != "" {
		if t, ok := parseDate(raw); ok {
			m.Date = t
		} else {
			m.RawDate = decodeText(raw)
		}
	}
	m.Subject = decodeText(h.Get("Subject"))
	m.NormSubject = NormalizeSubject(m.Subject)
	fields := h.Fields()
	for fields.Next() {
		k := strings.ToLower(fields.Key())
		for _, want := range keptHeaders {
			if !strings.Contains(k, want) {
				continue
			}
			if m.Headers == nil {
				m.Headers = map[string]string{}
			}
			if len(m.Headers) >= maxKeptHeaders {
				break
			}
			v := decodeText(fields.Value())
			if len(v) > maxKeptHeaderLen {
				v = strings.ToValidUTF8(v[:maxKeptHeaderLen], "")
			}
			key := fields.Key()
			if old, ok := m.Headers[key]; ok {
				v = old + ", " + v
			}
			m.Headers[key] = v
			break
		}
	}
	t, params, _ := h.ContentType()
	securityFrom(t, params, &m.Security)
}

var msgIDRe = regexp.MustCompile(`<([^<>\s]+)>`)

// parseIDs reads message ids leniently: bracketed ids, else bare tokens.
func parseIDs(v string) []string {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	var ids []string
	for _, m := range msgIDRe.FindAllStringSubmatch(v, 100) {
		ids = append(ids, m[1])
	}
	if len(ids) == 0 {
		for _, f := range strings.Fields(v) {
			if strings.Contains(f, "@") {
				ids = append(ids, strings.Trim(f, "<>,;\""))
			}
			if len(ids) == 100 {
				break
			}
		}
	}
	return ids
}

func firstID(v string) string {
	ids := parseIDs(v)
	if len(ids) == 0 {
		return strings.Trim(strings.TrimSpace(v), "<>")
	}
	return ids[0]
}

var addrParser = netmail.AddressParser{WordDecoder: &wordDecoder}

var bareAddrRe = regexp.MustCompile(`[^\s<>"',;:()\[\]]+@[^\s<>"',;:()\[\]]+`)

// parseAddresses parses an address list, falling back to one address at a
// time and then to anything that looks like an address.
func parseAddresses(v string) []Address {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	if !utf8.ValidString(v) {
		v = latin1(v)
	}
	if list, err := addrParser.ParseList(v); err == nil {
		out := make([]Address, 0, len(list))
		for _, a := range list {
			out = append(out, Address{Name: decodeText(a.Name), Address: a.Address})
		}
		return out
	}
	var out []Address
	for _, part := range splitAddressList(v) {
		if a, err := addrParser.Parse(part); err == nil {
			out = append(out, Address{Name: decodeText(a.Name), Address: a.Address})
			continue
		}
		addr := bareAddrRe.FindString(part)
		if addr == "" {
			continue
		}
		name := strings.Replace(part, addr, "", 1)
		name = strings.Trim(strings.TrimSpace(name), "<>\"' ")
		out = append(out, Address{Name: decodeText(name), Address: addr})
		if len(out) >= 1000 {
			break
		}
	}
	return out
}

// splitAddressList splits at commas outside quotes and angle brackets.
func splitAddressList(v string) []string {
	var parts []string
	inQuote, inAngle := false, false
	start := 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '"':
			inQuote = !inQuote
		case '<':
			inAngle = true
		case '>':
			inAngle = false
		case ',', ';':
			if !inQuote && !inAngle {
				parts = append(parts, v[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, v[start:])
}

var extraDateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700 (MST)",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04:05",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon 2 Jan 2006 15:04:05 -0700",
	"Monday, January 2, 2006 3:04 PM",
	time.RFC3339,
	"2006-01-02 15:04:05 -0700",
}

func parseDate(raw string) (time.Time, bool) {
	if t, err := netmail.ParseDate(raw); err == nil {
		return t, true
	}
	s := strings.Join(strings.Fields(raw), " ")
	for _, l := range extraDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// securityFrom sets the signed/encrypted flags a Content-Type shows.
func securityFrom(mediaType string, params map[string]string, s *Security) {
	proto := strings.ToLower(params["protocol"])
	switch mediaType {
	case "multipart/signed":
		switch {
		case strings.Contains(proto, "pkcs7-signature"):
			s.SMIMESigned = true
		case strings.Contains(proto, "pgp-signature"):
			s.PGPSigned = true
		}
	case "multipart/encrypted":
		if proto == "" || strings.Contains(proto, "pgp-encrypted") {
			s.PGPEncrypted = true
		}
	case "application/pkcs7-mime", "application/x-pkcs7-mime":
		if strings.EqualFold(params["smime-type"], "signed-data") {
			s.SMIMESigned = true
		} else {
			s.SMIMEEncrypted = true
		}
	case "application/pgp-encrypted":
		s.PGPEncrypted = true
	case "application/pkcs7-signature", "application/x-pkcs7-signature":
		s.SMIMESigned = true
	case "application/pgp-signature":
		s.PGPSigned = true
	}
}
