package mail

import (
	"fmt"
	"io"

	"github.com/emersion/go-message"
)

// ReadAttachment returns the description and decoded bytes of the part at
// partPath (IMAP numbering, as in [Attachment.PartPath]) of a raw message.
// A missing part returns an error wrapping [ErrNoAttachment]; a part or
// message past lim wraps [ErrTooLarge].
func ReadAttachment(raw []byte, partPath string, lim Limits) (Attachment, []byte, error) {
	if int64(len(raw)) > lim.maxSize() {
		return Attachment{}, nil, tooLarge("MaxSize", lim.maxSize())
	}
	if partPath == "" {
		return Attachment{}, nil, fmt.Errorf("%w: empty part path", ErrNoAttachment)
	}
	_, start := headerEnd(raw)
	e, err := openEntity(raw[:start], raw[start:])
	if err != nil {
		return Attachment{}, nil, err
	}
	p := &walker{lim: lim, target: partPath}
	if _, _, err := p.walk(e, "", 0); err != nil {
		return Attachment{}, nil, err
	}
	if p.found == nil {
		return Attachment{}, nil, fmt.Errorf("%w: no part %q", ErrNoAttachment, truncate(partPath, 40))
	}
	return *p.found, p.data, nil
}

// readTarget reads the part ReadAttachment asked for.
func (p *walker) readTarget(e *message.Entity, mediaType, name, disp, path string) error {
	data, err := io.ReadAll(io.LimitReader(e.Body, p.lim.maxSize()+1))
	if int64(len(data)) > p.lim.maxSize() {
		return tooLarge("MaxSize", p.lim.maxSize())
	}
	if err != nil && len(data) == 0 {
		return fmt.Errorf("%w: part %s cannot be decoded", ErrMalformed, path)
	}
	a := attachmentOf(e, mediaType, name, disp, path, int64(len(data)))
	p.found = &a
	p.data = data
	return nil
}
