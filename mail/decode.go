package mail

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-message"
)

// Part is one MIME part of a message as a source that reads parts apart
// (IMAP) fetched it. [Decode] reads a tree of them with the rules [Parse]
// applies to the same message read whole.
type Part struct {
	// Header is the part's MIME header block (IMAP BODY[n.MIME]); for the
	// top part, the message header (BODY[HEADER]).
	Header []byte
	// Body is the part's body as sent (transfer-encoded, IMAP BODY[n]); nil
	// when it was not fetched. A multipart part has none: see Parts.
	Body []byte
	// Size is the decoded size of the whole body when Body is nil or was
	// cut; zero means the size is that of Body decoded.
	Size int64
	// Parts are the children of a multipart part, in order.
	Parts []Part
}

// Decode builds a Message from a message read part by part: headers
// decoded, body text chosen and split by [Message.SetBody], attachments
// listed with their part paths, security flags set, exactly as [Parse]
// does with the whole message. Leaves without a Body are attachments
// sized by Part.Size; a text part without a Body contributes no text.
//
// Errors are those of Parse: [ErrMalformed] for a header block that is not
// one, a [*LimitError] past lim.
func Decode(root Part, lim Limits) (*Message, error) {
	h, _, warn, err := readHeader(root.Header)
	if err != nil {
		return nil, err
	}
	p := &walker{lim: lim, warn: warn, sizes: map[*message.Entity]int64{}}
	n := 0
	e, err := p.entity(h, root, 0, &n)
	if e == nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	p.entityErr(err)
	return p.decode(h, e)
}

// DecodeAttachment describes and decodes one part read alone: its MIME
// header and transfer-encoded body, at part path path. The description is
// the one [Decode] and [ReadAttachment] give; its Size is the decoded
// length. A body past lim.MaxSize wraps [ErrTooLarge]; a part that is body
// text, not an attachment, wraps [ErrNoAttachment].
func DecodeAttachment(header, body []byte, path string, lim Limits) (Attachment, []byte, error) {
	e, err := openEntity(header, body)
	if err != nil {
		return Attachment{}, nil, err
	}
	p := &walker{lim: lim, target: path}
	mediaType, params := contentType(e)
	disp, name, attachment := describe(e, mediaType, params)
	if !attachment || strings.HasPrefix(mediaType, "multipart/") {
		return Attachment{}, nil, fmt.Errorf("%w: part %s is not an attachment", ErrNoAttachment, truncate(path, 40))
	}
	if err := p.readTarget(e, mediaType, name, disp, path); err != nil {
		return Attachment{}, nil, err
	}
	return *p.found, p.data, nil
}

// openEntity reads a header block and opens the body under it. A soft
// error of go-message (unknown charset or encoding) is left to the reader.
func openEntity(header, body []byte) (*message.Entity, error) {
	h, _, _, err := readHeader(header)
	if err != nil {
		return nil, err
	}
	e, err := message.New(h, bytes.NewReader(body))
	if e == nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return e, nil
}

// entity turns a Part tree into the go-message entities the walker reads,
// as message.New does for a message read whole. Trees deeper or wider
// than lim are cut there; the walker reports the limit.
func (p *walker) entity(h message.Header, part Part, depth int, n *int) (*message.Entity, error) {
	*n++
	mediaType, _, _ := h.ContentType()
	if !strings.HasPrefix(mediaType, "multipart/") || part.Body != nil {
		e, err := message.New(h, bytes.NewReader(part.Body))
		if e != nil && part.Size > 0 {
			p.sizes[e] = part.Size
		}
		return e, err
	}
	var children []*message.Entity
	for _, c := range part.Parts {
		if depth >= p.lim.maxDepth() || *n > p.lim.maxParts() {
			break
		}
		ch, _, warn, err := readHeader(c.Header)
		if err != nil {
			ch = message.Header{}
			warn = append(warn, "malformed part header skipped")
		}
		for _, w := range warn {
			p.note(w)
		}
		ce, err := p.entity(ch, c, depth+1, n)
		if ce == nil {
			p.note("part could not be decoded")
			continue
		}
		p.entityErr(err)
		children = append(children, ce)
	}
	// A multipart body is never transfer-encoded (RFC 2045 6.4); the
	// children are already split.
	h = message.Header{Header: h.Header.Copy()}
	h.Del("Content-Transfer-Encoding")
	return message.NewMultipart(h, children)
}

// decode reads the entity tree of a message whose header is h: the one
// reading that Parse and Decode share.
func (p *walker) decode(h message.Header, e *message.Entity) (*Message, error) {
	m := &Message{Attachments: []Attachment{}}
	fillHeader(m, h)
	p.m = m
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

// contentType returns e's media type, text/plain when it has none.
func contentType(e *message.Entity) (string, map[string]string) {
	mediaType, params, _ := e.Header.ContentType()
	if mediaType == "" {
		mediaType = "text/plain"
	}
	return mediaType, params
}

// countBody returns the decoded size of an attachment's body: the size the
// source gave when it did not fetch the body, else the bytes read.
func (p *walker) countBody(e *message.Entity) int64 {
	n, err := io.Copy(io.Discard, io.LimitReader(e.Body, p.lim.maxSize()+1))
	if err != nil {
		p.note("attachment body could not be decoded completely")
	}
	if s, ok := p.sizes[e]; ok {
		return s
	}
	return n
}
