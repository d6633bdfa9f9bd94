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
	c, err := s.acquire(ctx, who)
	if err != nil {
		return mail.Attachment{}, nil, err
	}
	defer s.release(c)
	m, err := c.locate(ctx, target)
	if err != nil {
		return mail.Attachment{}, nil, err
	}
	var att *mail.Attachment
	for i := range m.plan.attachments {
		if m.plan.attachments[i].PartPath == imapPartString(path) {
			att = &m.plan.attachments[i]
		}
	}
	part := imapFindPart(m.bs, path)
	if att == nil || part == nil {
		return mail.Attachment{}, nil, fmt.Errorf("%w: part %s of %s", mail.ErrNoAttachment, imapPartString(path), messageID)
	}
	if int64(part.Size) > s.opts.MaxAttachmentBytes*4/3+1024 {
		return mail.Attachment{}, nil, fmt.Errorf("%w: attachment of %d bytes (limit %d)", mail.ErrTooLarge, part.Size, s.opts.MaxAttachmentBytes)
	}
	var raw []byte
	err = c.run(ctx, "fetch attachment", func() error {
		ex := c.examine(m.folder)
		sec := &imap.FetchItemBodySection{Part: path, Peek: true}
		fc := c.cl.Fetch(imap.UIDSetNum(m.uid), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{sec}})
		exErr := c.waitExamine(ex)
		bufs, err := fc.Collect()
		if exErr != nil {
			return exErr
		}
		if err != nil {
			return err
		}
		for _, b := range bufs {
			if b.UID == m.uid {
				raw = b.FindBodySection(sec)
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
	data := imapDecodeTransfer(raw, part.Encoding)
	if int64(len(data)) > s.opts.MaxAttachmentBytes {
		return mail.Attachment{}, nil, fmt.Errorf("%w: attachment of %d bytes (limit %d)", mail.ErrTooLarge, len(data), s.opts.MaxAttachmentBytes)
	}
	out := *att
	out.Size = int64(len(data))
	return out, data, nil
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
