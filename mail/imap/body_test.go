package imap

import (
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
)

func single(typ, sub string, mod func(*imap.BodyStructureSinglePart)) *imap.BodyStructureSinglePart {
	p := &imap.BodyStructureSinglePart{Type: typ, Subtype: sub, Params: map[string]string{}, Encoding: "7bit", Size: 780}
	if mod != nil {
		mod(p)
	}
	return p
}

func attached(name string) func(*imap.BodyStructureSinglePart) {
	return func(p *imap.BodyStructureSinglePart) {
		p.Encoding = "base64"
		p.Extended = &imap.BodyStructureSinglePartExt{Disposition: &imap.BodyStructureDisposition{Value: "attachment", Params: map[string]string{"filename": name}}}
	}
}

var layoutCases = []struct {
	name  string
	bs    imap.BodyStructure
	fetch string // the sections asked, in order
}{
	{name: "plain only", bs: single("text", "plain", nil), fetch: "BODY[1]"},
	{name: "alternative", bs: &imap.BodyStructureMultiPart{Subtype: "alternative", Children: []imap.BodyStructure{single("text", "plain", nil), single("text", "html", nil)}},
		fetch: "BODY[1.MIME] BODY[1] BODY[2.MIME] BODY[2]"},
	{name: "mixed with pdf", bs: &imap.BodyStructureMultiPart{Subtype: "mixed", Children: []imap.BodyStructure{
		&imap.BodyStructureMultiPart{Subtype: "alternative", Children: []imap.BodyStructure{single("text", "plain", nil), &imap.BodyStructureMultiPart{Subtype: "related", Children: []imap.BodyStructure{
			single("text", "html", nil),
			single("image", "png", func(p *imap.BodyStructureSinglePart) { p.ID = "<logo@x>" }),
		}}}},
		single("application", "pdf", attached("=?utf-8?q?arr=C3=AAt=C3=A9?=.pdf")),
	}}, fetch: "BODY[1.MIME] BODY[1.1.MIME] BODY[1.1] BODY[1.2.MIME] BODY[1.2.1.MIME] BODY[1.2.1] BODY[1.2.2.MIME] BODY[2.MIME]"},
	{name: "text attachment", bs: &imap.BodyStructureMultiPart{Subtype: "mixed", Children: []imap.BodyStructure{single("text", "plain", nil), single("text", "plain", attached("notes.txt"))}},
		fetch: "BODY[1.MIME] BODY[1] BODY[2.MIME]"},
	{name: "empty multipart", bs: &imap.BodyStructureMultiPart{Subtype: "mixed"}, fetch: ""},
	{name: "nil", bs: nil, fetch: ""},
}

// The sections asked are the headers of every part, the bodies of the
// parts that may be text, nothing of the others.
func TestLayoutSections(t *testing.T) {
	for _, tc := range layoutCases {
		t.Run(tc.name, func(t *testing.T) {
			body := layoutOf(tc.bs).sections(1<<20, true)
			var got []string
			for _, s := range body {
				p := "BODY[" + imapPartString(s.Part)
				if s.Specifier == imap.PartSpecifierMIME {
					p += ".MIME"
				}
				got = append(got, p+"]")
			}
			if strings.Join(got, " ") != tc.fetch {
				t.Errorf("fetch %q, want %q", strings.Join(got, " "), tc.fetch)
			}
		})
	}
}

// A structure nested far deeper than any mail is cut, not followed.
func TestLayoutDeep(t *testing.T) {
	var bs imap.BodyStructure = single("text", "plain", nil)
	for i := 0; i < 10000; i++ {
		bs = &imap.BodyStructureMultiPart{Subtype: "mixed", Children: []imap.BodyStructure{bs}}
	}
	body := layoutOf(bs).sections(1<<20, true)
	if len(body) > imapMaxDepth+1 {
		t.Errorf("followed %d levels", len(body))
	}
}

var imapPartPathCases = []struct {
	in   string
	ok   bool
	back string
}{
	{"2", true, "2"}, {"1.3", true, "1.3"}, {"1.2.10", true, "1.2.10"},
	{"", false, ""}, {"0", false, ""}, {"01", false, ""}, {"1.", false, ""}, {".1", false, ""},
	{"1..2", false, ""}, {"-1", false, ""}, {"1 2", false, ""}, {"HEADER", false, ""}, {"1.MIME", false, ""},
	{"99999999999999999999", false, ""},
}

func TestIMAPParsePartPath(t *testing.T) {
	for _, tc := range imapPartPathCases {
		p, ok := imapParsePartPath(tc.in)
		if ok != tc.ok || (ok && imapPartString(p) != tc.back) {
			t.Errorf("%q: %v %v", tc.in, p, ok)
		}
	}
}

func FuzzParsePartPath(f *testing.F) {
	for _, tc := range imapPartPathCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := imapParsePartPath(s)
		if ok && imapPartString(p) != s {
			t.Fatalf("%q parsed as %v", s, p)
		}
	})
}

var imapFolderCases = []struct {
	name  string
	boxes []*imap.ListData
	want  string
}{
	{"special-use", []*imap.ListData{{Mailbox: "INBOX"}, {Mailbox: "Envoyés", Attrs: []imap.MailboxAttr{imap.MailboxAttrSent}}, {Mailbox: "Archives 2024", Attrs: []imap.MailboxAttr{imap.MailboxAttrArchive}}}, "INBOX,Envoyés,Archives 2024"},
	{"names only", []*imap.ListData{{Mailbox: "INBOX"}, {Mailbox: "Sent Items"}, {Mailbox: "Archive"}}, "INBOX,Sent Items,Archive"},
	{"french names", []*imap.ListData{{Mailbox: "INBOX"}, {Mailbox: "éléments envoyés"}}, "INBOX,éléments envoyés"},
	{"noselect skipped", []*imap.ListData{{Mailbox: "Sent", Attrs: []imap.MailboxAttr{imap.MailboxAttrNoSelect, imap.MailboxAttrSent}}}, "INBOX"},
	{"same folder twice", []*imap.ListData{{Mailbox: "All", Attrs: []imap.MailboxAttr{imap.MailboxAttrSent, imap.MailboxAttrArchive}}}, "INBOX,All"},
	{"nothing", nil, "INBOX"},
}

func TestIMAPPickFolders(t *testing.T) {
	for _, tc := range imapFolderCases {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(imapPickFolders(tc.boxes, []string{"Sent", "Sent Items", "Éléments envoyés"}, []string{"Archive"}), ",")
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
