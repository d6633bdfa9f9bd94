package mail

import (
	"bytes"

	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/charset"
)

// Parse reads a whole MIME message and returns it cleaned: headers decoded,
// body text chosen and split by [Message.SetBody], attachments listed with
// their IMAP part paths, security flags set.
//
// Bad input never panics: truncated parts, missing boundaries, broken
// encodings and unknown charsets are read as far as possible and noted in
// Message.Cleaning.Warnings. A message past a [Limits] cap returns an error
// wrapping [ErrTooLarge] (a [*LimitError] naming the cap). Input without any
// header line returns [ErrMalformed].
func Parse(raw []byte, lim Limits) (*Message, error) {
	if int64(len(raw)) > lim.maxSize() {
		return nil, tooLarge("MaxSize", lim.maxSize())
	}
	h, body, warn, err := readHeader(raw)
	if err != nil {
		return nil, err
	}
	m := &Message{Attachments: []Attachment{}}
	fillHeader(m, h)
	p := &walker{lim: lim, m: m, warn: warn}
	e, err := message.New(h, bytes.NewReader(body))
	if e == nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	p.entityErr(err)
	plain, htm, err := p.walk(e, "", 0)
	if err != nil {
		return nil, err
	}
	m.SetBody(plain, htm)
	if m.Security.Encrypted() {
		p.note("encrypted content was not read")
	}
	m.Cleaning.Warnings = append(m.Cleaning.Warnings, p.warn...)
	return m, nil
}

// walker visits the MIME tree once, collecting body text and attachments,
// or the bytes of one part for ReadAttachment.
type walker struct {
	lim   Limits
	m     *Message
	parts int
	warn  []string

	target string      // part path wanted by ReadAttachment
	found  *Attachment // set when target was reached
	data   []byte
}

func (p *walker) note(s string) {
	for _, w := range p.warn {
		if w == s {
			return
		}
	}
	if len(p.warn) < 20 {
		p.warn = append(p.warn, s)
	}
}

func (p *walker) entityErr(err error) {
	switch {
	case err == nil:
	case message.IsUnknownCharset(err):
		// Read best-effort by textOf; the warning names the charset there.
	case message.IsUnknownEncoding(err):
		p.note("unknown transfer encoding; part read as is")
	default:
		p.note("part could not be decoded")
	}
}

func childPath(parent string, i int) string {
	if parent == "" {
		return strconv.Itoa(i)
	}
	return parent + "." + strconv.Itoa(i)
}

// walk returns the body text contributed by e's subtree: plain and HTML.
func (p *walker) walk(e *message.Entity, path string, depth int) (plain, htm string, err error) {
	p.parts++
	if p.parts > p.lim.maxParts() {
		return "", "", tooLarge("MaxParts", int64(p.lim.maxParts()))
	}
	if depth > p.lim.maxDepth() {
		return "", "", tooLarge("MaxDepth", int64(p.lim.maxDepth()))
	}
	mediaType, params, _ := e.Header.ContentType()
	if mediaType == "" {
		mediaType = "text/plain"
	}
	if p.m != nil {
		securityFrom(mediaType, params, &p.m.Security)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		return p.multipart(e, mediaType, params, path, depth)
	}
	leafPath := path
	if leafPath == "" {
		leafPath = "1"
	}
	return p.leaf(e, mediaType, params, leafPath)
}

func (p *walker) multipart(e *message.Entity, mediaType string, params map[string]string, path string, depth int) (plain, htm string, err error) {
	if mediaType == "multipart/encrypted" {
		return "", "", nil
	}
	if params["boundary"] == "" {
		p.note("multipart part without boundary skipped")
		return "", "", nil
	}
	mr := e.MultipartReader()
	var plains, htmls []string
	for i := 1; ; i++ {
		part, perr := mr.NextPart()
		if perr == io.EOF {
			break
		}
		if part == nil {
			p.note("truncated or malformed multipart body; read up to the error")
			break
		}
		p.entityErr(perr)
		if mediaType == "multipart/signed" && i > 1 {
			// The detached signature is not content.
			p.parts++
			_, _ = io.Copy(io.Discard, part.Body)
			continue
		}
		pl, ht, err := p.walk(part, childPath(path, i), depth+1)
		if err != nil {
			return "", "", err
		}
		if p.found != nil {
			return "", "", nil
		}
		if mediaType == "multipart/alternative" {
			// The last alternative is the preferred one.
			if pl != "" {
				plains = []string{pl}
			}
			if ht != "" {
				htmls = []string{ht}
			}
			continue
		}
		if pl != "" {
			plains = append(plains, pl)
		}
		if ht != "" {
			htmls = append(htmls, ht)
		}
	}
	return strings.Join(plains, "\n\n"), strings.Join(htmls, "\n<hr>\n"), nil
}

func (p *walker) leaf(e *message.Entity, mediaType string, params map[string]string, path string) (plain, htm string, err error) {
	disp, dparams, _ := e.Header.ContentDisposition()
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	name = decodeText(name)
	isText := mediaType == "text/plain" || mediaType == "text/html"
	attachment := disp == "attachment" || name != "" || !isText
	if p.target != "" {
		if path != p.target {
			return "", "", nil
		}
		return "", "", p.readTarget(e, mediaType, name, disp, path)
	}
	if !attachment {
		text, err := p.textOf(e, params)
		if err != nil {
			return "", "", err
		}
		if mediaType == "text/html" {
			return "", text, nil
		}
		if strings.EqualFold(params["format"], "flowed") {
			text = unflow(text, strings.EqualFold(params["delsp"], "yes"))
		}
		if p.m != nil {
			inlinePGP(text, &p.m.Security)
		}
		return text, "", nil
	}
	n, err := io.Copy(io.Discard, io.LimitReader(e.Body, p.lim.maxSize()+1))
	if err != nil {
		p.note("attachment body could not be decoded completely")
	}
	if p.m != nil {
		switch mediaType {
		case "application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature":
			return "", "", nil
		}
		p.m.Attachments = append(p.m.Attachments, attachmentOf(e, mediaType, name, disp, path, n))
	}
	return "", "", nil
}

func attachmentOf(e *message.Entity, mediaType, name, disp, path string, size int64) Attachment {
	if name == "" {
		name = "part-" + path
	}
	return Attachment{
		Name:      name,
		MediaType: mediaType,
		Size:      size,
		PartPath:  path,
		ContentID: strings.Trim(strings.TrimSpace(e.Header.Get("Content-Id")), "<>"),
		Inline:    disp == "inline",
	}
}

// textOf reads a text part as UTF-8. An unknown charset or bytes that are not
// UTF-8 are decoded best-effort as Windows-1252, with a warning.
func (p *walker) textOf(e *message.Entity, params map[string]string) (string, error) {
	b, err := io.ReadAll(io.LimitReader(e.Body, p.lim.maxSize()+1))
	if err != nil {
		p.note("text part truncated or badly encoded; read up to the error")
	}
	if int64(len(b)) > p.lim.maxSize() {
		return "", tooLarge("MaxSize", p.lim.maxSize())
	}
	if utf8.Valid(b) {
		return string(b), nil
	}
	cs := strings.ToLower(params["charset"])
	if _, cerr := charset.Reader(cs, bytes.NewReader(nil)); cerr != nil && cs != "" {
		p.note(fmt.Sprintf("unknown charset %q decoded best-effort", truncate(cs, 40)))
	} else {
		p.note("text not valid in its declared charset decoded best-effort")
	}
	return latin1(string(b)), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// inlinePGP flags PGP armour written inside a text body.
func inlinePGP(text string, s *Security) {
	if !strings.Contains(text, "-----BEGIN PGP ") {
		return
	}
	if strings.Contains(text, "-----BEGIN PGP MESSAGE-----") {
		s.PGPEncrypted = true
	}
	if strings.Contains(text, "-----BEGIN PGP SIGNED MESSAGE-----") {
		s.PGPSigned = true
	}
}

// unflow joins the soft line breaks of format=flowed text (RFC 3676): a line
// ending in a space continues on the next line of the same quote depth.
func unflow(text string, delsp bool) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var b strings.Builder
	b.Grow(len(text))
	joining := false
	for i, l := range lines {
		depth := 0
		for depth < len(l) && l[depth] == '>' {
			depth++
		}
		content := l[depth:]
		if joining {
			content = strings.TrimPrefix(content, " ")
		} else {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(l[:depth])
		}
		soft := strings.HasSuffix(content, " ") && content != "-- " && content != " -- " && i+1 < len(lines) && quoteDepth(lines[i+1]) == depth
		if soft && delsp {
			content = content[:len(content)-1]
		}
		b.WriteString(content)
		joining = soft
	}
	return b.String()
}

func quoteDepth(l string) int {
	d := 0
	for d < len(l) && l[d] == '>' {
		d++
	}
	return d
}
