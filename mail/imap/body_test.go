package imap

import (
	"strings"
	"testing"
	"unicode/utf8"

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

var imapPlanCases = []struct {
	name        string
	bs          imap.BodyStructure
	plain, html []string
	atts        []string // "path name type inline"
	encrypted   bool
}{
	{name: "plain only", bs: single("text", "plain", nil), plain: []string{"1"}},
	{name: "alternative", bs: &imap.BodyStructureMultiPart{Subtype: "alternative", Children: []imap.BodyStructure{single("text", "plain", nil), single("text", "html", nil)}}, plain: []string{"1"}, html: []string{"2"}},
	{name: "mixed with pdf", bs: &imap.BodyStructureMultiPart{Subtype: "mixed", Children: []imap.BodyStructure{
		&imap.BodyStructureMultiPart{Subtype: "alternative", Children: []imap.BodyStructure{single("text", "plain", nil), &imap.BodyStructureMultiPart{Subtype: "related", Children: []imap.BodyStructure{
			single("text", "html", nil),
			single("image", "png", func(p *imap.BodyStructureSinglePart) { p.ID = "<logo@x>" }),
		}}}},
		single("application", "pdf", attached("=?utf-8?q?arr=C3=AAt=C3=A9?=.pdf")),
	}}, plain: []string{"1.1"}, html: []string{"1.2.1"}, atts: []string{"1.2.2 part-1.2.2.png image/png true", "2 arrêté.pdf application/pdf false"}},
	{name: "second plain version ignored", bs: &imap.BodyStructureMultiPart{Subtype: "alternative", Children: []imap.BodyStructure{single("text", "plain", nil), single("text", "plain", nil)}}, plain: []string{"1"}},
	{name: "text attachment", bs: &imap.BodyStructureMultiPart{Subtype: "mixed", Children: []imap.BodyStructure{single("text", "plain", nil), single("text", "plain", attached("notes.txt"))}}, plain: []string{"1"}, atts: []string{"2 notes.txt text/plain false"}},
	{name: "forwarded message", bs: &imap.BodyStructureMultiPart{Subtype: "mixed", Children: []imap.BodyStructure{single("text", "plain", nil), single("message", "rfc822", func(p *imap.BodyStructureSinglePart) {
		p.MessageRFC822 = &imap.BodyStructureMessageRFC822{Envelope: &imap.Envelope{Subject: "Convocation"}}
	})}}, plain: []string{"1"}, atts: []string{"2 Convocation.eml message/rfc822 false"}},
	{name: "smime signed", bs: &imap.BodyStructureMultiPart{Subtype: "signed", Children: []imap.BodyStructure{single("text", "plain", nil), single("application", "pkcs7-signature", attached("smime.p7s"))}}, plain: []string{"1"}},
	{name: "smime encrypted", bs: single("application", "pkcs7-mime", attached("smime.p7m")), encrypted: true},
	{name: "pgp encrypted", bs: &imap.BodyStructureMultiPart{Subtype: "encrypted", Children: []imap.BodyStructure{single("application", "pgp-encrypted", nil), single("application", "octet-stream", nil)}}, encrypted: true},
	{name: "empty multipart", bs: &imap.BodyStructureMultiPart{Subtype: "mixed"}},
	{name: "nil", bs: nil},
}

func TestIMAPPlanBody(t *testing.T) {
	paths := func(tps []imapTextPart) []string {
		var out []string
		for _, tp := range tps {
			out = append(out, imapPartString(tp.part))
		}
		return out
	}
	for _, tc := range imapPlanCases {
		t.Run(tc.name, func(t *testing.T) {
			p := imapPlanBody(tc.bs)
			if got := strings.Join(paths(p.plain), ","); got != strings.Join(tc.plain, ",") {
				t.Errorf("plain = %s, want %s", got, strings.Join(tc.plain, ","))
			}
			if got := strings.Join(paths(p.html), ","); got != strings.Join(tc.html, ",") {
				t.Errorf("html = %s, want %s", got, strings.Join(tc.html, ","))
			}
			var atts []string
			for _, a := range p.attachments {
				atts = append(atts, strings.Join([]string{a.PartPath, a.Name, a.MediaType, map[bool]string{true: "true", false: "false"}[a.Inline]}, " "))
			}
			if strings.Join(atts, "|") != strings.Join(tc.atts, "|") {
				t.Errorf("attachments = %q, want %q", atts, tc.atts)
			}
			if p.encrypted != tc.encrypted {
				t.Errorf("encrypted = %v", p.encrypted)
			}
		})
	}
}

// A structure nested far deeper than any mail is cut, not followed.
func TestIMAPPlanBodyDeep(t *testing.T) {
	var bs imap.BodyStructure = single("text", "plain", nil)
	for i := 0; i < 10000; i++ {
		bs = &imap.BodyStructureMultiPart{Subtype: "mixed", Children: []imap.BodyStructure{bs}}
	}
	if p := imapPlanBody(bs); len(p.plain) != 0 {
		t.Errorf("followed %d levels", 10000)
	}
}

var imapDecodeCases = []struct {
	name, raw, enc, charset, want string
	ok                            bool
}{
	{"qp latin1", "d=E9lib=E9ration=\r\n du", "quoted-printable", "iso-8859-1", "délibération du", true},
	{"base64 utf8", "w6l0w6k=\r\n", "base64", "utf-8", "été", true},
	{"base64 cut by a partial fetch", "w6l0w6kgw6l0w6", "base64", "utf-8", "été ét\uFFFD", true},
	{"base64 with a broken tail", "w6l0w6k", "BASE64", "UTF-8", "été", true},
	{"windows-1252", "\x93citation\x94 \x80", "8bit", "windows-1252", "“citation” €", true},
	{"unknown charset", "abc", "7bit", "x-martian", "abc", false},
	{"invalid utf-8", "a\xffb", "8bit", "utf-8", "a\uFFFDb", true},
	{"broken qp kept", "a=ZZb", "quoted-printable", "", "a=ZZb", true},
}

func TestIMAPDecodeText(t *testing.T) {
	for _, tc := range imapDecodeCases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := imapDecodeText([]byte(tc.raw), tc.enc, tc.charset)
			if got != tc.want || ok != tc.ok {
				t.Errorf("got %q %v, want %q %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func FuzzIMAPDecodeText(f *testing.F) {
	for _, tc := range imapDecodeCases {
		f.Add([]byte(tc.raw), tc.enc, tc.charset)
	}
	f.Fuzz(func(t *testing.T, raw []byte, enc, cs string) {
		got, _ := imapDecodeText(raw, enc, cs)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 out: %q", got)
		}
	})
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
