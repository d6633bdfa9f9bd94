package imap

import (
	"context"
	"strings"

	"github.com/emersion/go-imap/v2"
)

// folderList returns the folders to search, in order: the configured list,
// or INBOX then the \Sent and \Archive folders found with LIST (SPECIAL-USE),
// falling back to well-known names. The result is cached on the connection,
// with the \All folder when LIST names one (c.allMail).
func (c *imapConn) folderList(ctx context.Context) ([]string, error) {
	if c.folders != nil {
		return c.folders, nil
	}
	if len(c.src.opts.Folders) > 0 {
		c.folders = c.src.opts.Folders
		return c.folders, nil
	}
	var boxes []*imap.ListData
	err := c.run(ctx, "list", func() error {
		var opts *imap.ListOptions
		if c.caps.Has(imap.CapSpecialUse) || c.caps.Has(imap.CapIMAP4rev2) {
			opts = &imap.ListOptions{ReturnSpecialUse: true}
		}
		var err error
		boxes, err = c.cl.List("", "*", opts).Collect()
		return err
	})
	if err != nil {
		return nil, err
	}
	c.folders = imapPickFolders(boxes, c.src.opts.SentNames, c.src.opts.ArchiveNames)
	c.allMail = imapAllMail(boxes)
	return c.folders, nil
}

// imapAllMail returns the folder LIST marks \All (Gmail's "[Gmail]/All
// Mail", whatever its localised name), or "". It is not searched with the
// others: it holds them all (see gmailCollect).
func imapAllMail(boxes []*imap.ListData) string {
	for _, b := range boxes {
		if b != nil && imapHasAttr(b.Attrs, imap.MailboxAttrAll) && !imapHasAttr(b.Attrs, imap.MailboxAttrNoSelect) && !imapHasAttr(b.Attrs, imap.MailboxAttrNonExistent) {
			return b.Mailbox
		}
	}
	return ""
}

// imapPickFolders chooses INBOX, the sent folder and the archive folder.
func imapPickFolders(boxes []*imap.ListData, sentNames, archiveNames []string) []string {
	out := []string{"INBOX"}
	var sent, archive string
	exists := map[string]string{} // lower-case name → name
	for _, b := range boxes {
		if b == nil || imapHasAttr(b.Attrs, imap.MailboxAttrNoSelect) || imapHasAttr(b.Attrs, imap.MailboxAttrNonExistent) {
			continue
		}
		exists[strings.ToLower(b.Mailbox)] = b.Mailbox
		if sent == "" && imapHasAttr(b.Attrs, imap.MailboxAttrSent) {
			sent = b.Mailbox
		}
		if archive == "" && imapHasAttr(b.Attrs, imap.MailboxAttrArchive) {
			archive = b.Mailbox
		}
	}
	byName := func(names []string) string {
		for _, n := range names {
			if name, ok := exists[strings.ToLower(n)]; ok {
				return name
			}
		}
		return ""
	}
	if sent == "" {
		sent = byName(sentNames)
	}
	if archive == "" {
		archive = byName(archiveNames)
	}
	for _, f := range []string{sent, archive} {
		if f != "" && !strings.EqualFold(f, "INBOX") && f != out[len(out)-1] {
			out = append(out, f)
		}
	}
	return out
}

func imapHasAttr(attrs []imap.MailboxAttr, a imap.MailboxAttr) bool {
	for _, x := range attrs {
		if strings.EqualFold(string(x), string(a)) {
			return true
		}
	}
	return false
}
