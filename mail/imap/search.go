package imap

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/plume-admin/plume/mail"
)

// errFolderMissing reports a folder that could not be opened (it is then
// skipped with a note).
var errFolderMissing = errors.New("mail: folder cannot be opened")

// imapOr folds keys into a balanced OR tree (keeps the wire nesting shallow).
func imapOr(keys []imap.SearchCriteria) *imap.SearchCriteria {
	switch len(keys) {
	case 0:
		return &imap.SearchCriteria{}
	case 1:
		k := keys[0]
		return &k
	}
	mid := len(keys) / 2
	return &imap.SearchCriteria{Or: [][2]imap.SearchCriteria{{*imapOr(keys[:mid]), *imapOr(keys[mid:])}}}
}

// imapTreesWanted says what search does about the folder's THREAD trees.
type imapTreesWanted int

const (
	imapNoTrees   imapTreesWanted = iota
	imapNewTrees                  // UID THREAD REFERENCES pipelined with the search
	imapKeptTrees                 // those kept on the connection if the folder is unchanged, else UID THREAD after the search
)

// search opens folder and runs a UID SEARCH; it returns the matching UIDs
// and, as trees says, the folder's THREAD REFERENCES trees (nil when not
// asked or refused by the server).
func (c *imapConn) search(ctx context.Context, folder string, crit *imap.SearchCriteria, want imapTreesWanted) (hits []imap.UID, trees *imapTrees, err error) {
	err = c.run(ctx, "search "+folder, func() error {
		ex := c.examine(folder)
		var noop *imapclient.Command
		if ex == nil && want == imapKeptTrees {
			// The folder was already open: make the server report what
			// arrived or left since (EXISTS, EXPUNGE) before trusting
			// the kept trees.
			noop = c.cl.Noop()
		}
		sc := c.cl.UIDSearch(crit, nil)
		var tc *imapclient.ThreadCommand
		if want == imapNewTrees {
			tc = c.cl.UIDThread(imapThreadOptions)
		}
		exErr := c.waitExamine(ex)
		if noop != nil {
			if err := noop.Wait(); err != nil {
				return err
			}
		}
		data, sErr := sc.Wait()
		var threads []imapclient.ThreadData
		var tErr error
		if tc != nil {
			threads, tErr = tc.Wait()
		}
		if exErr != nil {
			var ie *imap.Error
			if errors.As(exErr, &ie) {
				return fmt.Errorf("%w: %q: %w", errFolderMissing, folder, exErr)
			}
			return exErr
		}
		if sErr != nil {
			return sErr
		}
		hits = data.AllUIDs()
		if tc != nil && tErr == nil {
			trees = &imapTrees{threads}
			c.trees.put(folder, trees)
		}
		return nil
	})
	if err != nil && errors.Is(err, errFolderMissing) {
		// The folder is absent: not a server failure.
		return nil, nil, errFolderMissing
	}
	if err == nil && want == imapKeptTrees {
		if trees = c.trees.get(folder); trees == nil {
			trees, err = c.thread(ctx, folder)
		}
	}
	return hits, trees, err
}

// imapHeaderFetch is what is read for every candidate message.
var imapHeaderFetch = &imap.FetchOptions{
	UID:           true,
	Envelope:      true,
	RFC822Size:    true,
	BodyStructure: &imap.FetchItemBodyStructure{Extended: true},
	BodySection:   []*imap.FetchItemBodySection{{Specifier: imap.PartSpecifierHeader, Peek: true}},
}

// imapMsg is a candidate message: where it is, its parsed header and the
// layout of its parts.
type imapMsg struct {
	folder string
	uid    imap.UID
	msg    *mail.Message
	header []byte // BODY[HEADER], for mail.Decode
	bs     imap.BodyStructure
	layout *layout
	read   bool     // parts fetched and decoded (fetchBodies)
	notes  []string // what reading the text parts left out
}

// fetchHeaders reads envelope, BODYSTRUCTURE and header of uids in the
// currently open folder (opening it again if needed).
func (c *imapConn) fetchHeaders(ctx context.Context, folder string, uids []imap.UID) ([]*imapMsg, error) {
	if len(uids) == 0 {
		return nil, nil
	}
	var out []*imapMsg
	err := c.run(ctx, "fetch headers "+folder, func() error {
		ex := c.examine(folder)
		fc := c.cl.Fetch(imap.UIDSetNum(uids...), imapHeaderFetch)
		exErr := c.waitExamine(ex)
		bufs, err := fc.Collect()
		if exErr != nil {
			return exErr
		}
		if err != nil {
			return err
		}
		for _, b := range bufs {
			if b.UID == 0 {
				continue
			}
			out = append(out, c.src.imapMessage(folder, b))
		}
		return nil
	})
	return out, err
}

// imapMessage builds the model of a fetched message header.
func (s *Source) imapMessage(folder string, b *imapclient.FetchMessageBuffer) *imapMsg {
	raw := b.FindBodySection(&imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, Peek: true})
	m, err := mail.ParseHeader(raw)
	if err != nil || m == nil {
		m = imapEnvelopeMessage(b.Envelope)
	}
	if m.MessageID == "" && b.Envelope != nil {
		m.MessageID = b.Envelope.MessageID
	}
	m.Folder = folder
	m.UID = uint32(b.UID)
	return &imapMsg{folder: folder, uid: b.UID, msg: m, header: raw, bs: b.BodyStructure, layout: layoutOf(b.BodyStructure)}
}

// imapEnvelopeMessage is the fallback when the header cannot be parsed.
func imapEnvelopeMessage(env *imap.Envelope) *mail.Message {
	m := &mail.Message{}
	if env == nil {
		return m
	}
	m.Subject = env.Subject
	m.NormSubject = mail.NormalizeSubject(env.Subject)
	m.Date = env.Date
	m.MessageID = env.MessageID
	m.InReplyTo = append(m.InReplyTo, env.InReplyTo...)
	conv := func(in []imap.Address) []mail.Address {
		var out []mail.Address
		for _, a := range in {
			if a.IsGroupStart() || a.IsGroupEnd() {
				continue
			}
			out = append(out, mail.Address{Name: a.Name, Address: strings.ToLower(a.Addr())})
		}
		return out
	}
	m.From, m.To, m.Cc, m.ReplyTo = conv(env.From), conv(env.To), conv(env.Cc), conv(env.ReplyTo)
	return m
}
