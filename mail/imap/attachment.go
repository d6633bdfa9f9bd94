package imap

import (
	"context"
	"errors"
	"fmt"

	"github.com/emersion/go-imap/v2"

	"github.com/plume-admin/plume/mail"
)

// Attachment returns one attachment of the message with the given
// Message-ID, by IMAP part path ("2", "1.3"), decoded from its transfer
// encoding. Only that part is read, with BODY.PEEK.
//
// Errors wrap ErrNotFound, ErrNoAttachment, ErrTooLarge, ErrAuth,
// ErrUnavailable or ErrTimeout.
func (s *Source) Attachment(ctx context.Context, who mail.Caller, messageID, partPath string) (mail.Attachment, []byte, error) {
	target, err := imapNormID(messageID)
	if err != nil {
		return mail.Attachment{}, nil, err
	}
	path, ok := imapParsePartPath(partPath)
	if !ok {
		return mail.Attachment{}, nil, fmt.Errorf("%w: invalid part path %q", mail.ErrNoAttachment, saslClip(partPath, 40))
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.TotalTimeout)
	defer cancel()
	c, err := s.acquire(ctx, who)
	if err != nil {
		return mail.Attachment{}, nil, err
	}
	defer s.release(c)
	m, err := c.locate(ctx, target)
	if err != nil {
		return mail.Attachment{}, nil, err
	}
	part := imapFindPart(m.bs, path)
	if part == nil {
		return mail.Attachment{}, nil, fmt.Errorf("%w: part %s of %s", mail.ErrNoAttachment, imapPartString(path), messageID)
	}
	if int64(part.Size) > s.opts.MaxAttachmentBytes*4/3+1024 {
		return mail.Attachment{}, nil, fmt.Errorf("%w: attachment of %d bytes (limit %d)", mail.ErrTooLarge, part.Size, s.opts.MaxAttachmentBytes)
	}
	// The part's own MIME header, or the message header for the body of a
	// single-part message.
	header := m.header
	hsec := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierMIME, Part: path, Peek: true}
	sec := &imap.FetchItemBodySection{Part: path, Peek: true}
	opts := &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{sec}}
	_, single := m.bs.(*imap.BodyStructureSinglePart)
	if !single {
		opts.BodySection = append(opts.BodySection, hsec)
	}
	var raw []byte
	err = c.run(ctx, "fetch attachment", func() error {
		results, err := c.fetch(m.folder, [][]imap.UID{{m.uid}}, []*imap.FetchOptions{opts})
		if err != nil {
			return err
		}
		for _, b := range results[0] {
			if b.UID == m.uid {
				raw = b.FindBodySection(sec)
				if !single {
					header = b.FindBodySection(hsec)
				}
			}
		}
		return nil
	})
	if err != nil {
		return mail.Attachment{}, nil, err
	}
	if raw == nil {
		return mail.Attachment{}, nil, fmt.Errorf("%w: message %s disappeared while reading", mail.ErrNotFound, messageID)
	}
	return mail.DecodeAttachment(header, raw, imapPartString(path), mail.Limits{MaxSize: s.opts.MaxAttachmentBytes})
}

// locate finds the message with the target Message-ID in the folders and
// reads its header and BODYSTRUCTURE.
func (c *imapConn) locate(ctx context.Context, target string) (*imapMsg, error) {
	folders, err := c.folderList(ctx)
	if err != nil {
		return nil, err
	}
	for _, f := range folders {
		uids, _, err := c.search(ctx, f, imapKeyCriteria([]imapKey{{"Message-ID", target}}), imapNoTrees)
		if errors.Is(err, errFolderMissing) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if len(uids) == 0 {
			continue
		}
		msgs, err := c.fetchHeaders(ctx, f, uids[:1])
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			if imapSameID(m.msg.MessageID, target) {
				return m, nil
			}
		}
	}
	return nil, fmt.Errorf("%w: %s", mail.ErrNotFound, target)
}
