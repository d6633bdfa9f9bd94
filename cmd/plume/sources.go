package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/extract"
	"github.com/plume-admin/plume/privacy"
)

// sources are what `plume draft` and `plume ask` read: mail files (.eml,
// mbox, "-") make one thread, other files are documents.
type sources struct {
	thread  *mail.Thread
	docs    []privacy.Document
	skipped []string
}

// readSources reads every named source; at most one may be "-".
func readSources(ctx context.Context, names []string, stdin io.Reader) (*sources, error) {
	s := &sources{}
	var msgs []*mail.Message
	for _, name := range names {
		raw, err := readInput(name, stdin)
		if err != nil {
			return nil, err
		}
		if isMailFile(name) {
			t, err := loadThread(raw)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			msgs = append(msgs, t.Messages...)
			continue
		}
		// Queue: wait for a free extraction slot rather than fail.
		startPDFEngine()
		doc, err := extract.Extract(ctx, filepath.Base(name), "", raw, extract.Limits{Queue: true})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		s.docs = append(s.docs, privacy.Document{Name: doc.Name, Text: doc.Text, Mails: doc.Mails})
		s.skipped = append(s.skipped, doc.Skipped...)
	}
	if len(msgs) > 0 {
		s.thread = mail.BuildThread(msgs)
	}
	return s, nil
}
