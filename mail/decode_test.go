package mail

import (
	"errors"
	"testing"
)

// textPart is a single-part message of one text body, read part by part.
func textPart(enc, charset, body string) Part {
	return Part{
		Header: []byte("From: a@b.fr\r\nContent-Type: text/plain; charset=" + charset + "\r\nContent-Transfer-Encoding: " + enc + "\r\n"),
		Body:   []byte(body),
	}
}

var decodeCases = []struct {
	name, raw, enc, charset, want string
}{
	{"qp latin1", "d=E9lib=E9ration=\r\n du", "quoted-printable", "iso-8859-1", "délibération du"},
	{"base64 utf8", "w6l0w6k=\r\n", "base64", "utf-8", "été"},
	{"base64 cut by a partial fetch", "w6l0w6kgw6l0w6", "base64", "utf-8", "été ét"},
	{"windows-1252", "\x93citation\x94 \x80", "8bit", "windows-1252", "“citation” €"},
	{"unknown charset", "abc", "7bit", "x-martian", "abc"},
	{"utf-8 label on windows-1252 bytes", "d\xe9j\xe0 \x80", "8bit", "utf-8", "déjà €"},
}

// A text part read alone decodes as it does inside a whole message.
func TestDecode(t *testing.T) {
	for _, tc := range decodeCases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Decode(textPart(tc.enc, tc.charset, tc.raw), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if m.Text != tc.want {
				t.Errorf("text %q, want %q", m.Text, tc.want)
			}
			whole, err := Parse(append(append(textPart(tc.enc, tc.charset, "").Header, "\r\n"...), tc.raw...), Limits{})
			if err != nil || whole.Text != m.Text {
				t.Errorf("Parse gives %q (%v)", whole.Text, err)
			}
		})
	}
}

// Parts not fetched are attachments of the size the source gave; a body
// text part cannot be read as an attachment.
func TestDecodeParts(t *testing.T) {
	root := Part{
		Header: []byte("From: a@b.fr\r\nContent-Type: multipart/mixed; boundary=x\r\n"),
		Parts: []Part{
			{Header: []byte("Content-Type: text/plain; charset=utf-8\r\n"), Body: []byte("Bonjour")},
			{Header: []byte("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=utf-8''arr%C3%AAt%C3%A9.pdf\r\nContent-Transfer-Encoding: base64\r\n"), Size: 1234},
		},
	}
	m, err := Decode(root, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Text != "Bonjour" || len(m.Attachments) != 1 || m.Attachments[0].Name != "arrêté.pdf" || m.Attachments[0].Size != 1234 || m.Attachments[0].PartPath != "2" {
		t.Errorf("decoded %q %+v", m.Text, m.Attachments)
	}
	if _, _, err := DecodeAttachment(root.Parts[0].Header, root.Parts[0].Body, "1", Limits{}); !errors.Is(err, ErrNoAttachment) {
		t.Errorf("body text as attachment: err = %v", err)
	}
	a, data, err := DecodeAttachment(root.Parts[1].Header, []byte("JVBERi0=\r\n"), "2", Limits{})
	if err != nil || string(data) != "%PDF-" || a.Size != 5 || a.Name != "arrêté.pdf" {
		t.Errorf("attachment %+v %q %v", a, data, err)
	}
	if _, _, err := DecodeAttachment(root.Parts[1].Header, []byte("JVBERi0=\r\n"), "2", Limits{MaxSize: 2}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over the limit: err = %v", err)
	}
}
