package mail

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// addCorpus seeds a fuzz target with every .eml of testdata/ and every file
// of testdata/fuzz/seeds/.
func addCorpus(f *testing.F, add func(b []byte)) {
	for _, pattern := range []string{"testdata/*.eml", "testdata/fuzz/seeds/*"} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			add(b)
		}
	}
}

func FuzzParse(f *testing.F) {
	addCorpus(f, func(b []byte) { f.Add(b) })
	f.Add([]byte("Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n"))
	f.Add([]byte("Subject: =?x-unknown?Q?=E9?=\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\n\xe9\xff"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		lim := Limits{MaxSize: 1 << 20, MaxParts: 100, MaxDepth: 10}
		m, err := Parse(raw, lim)
		if err != nil {
			return
		}
		for _, s := range []string{m.Subject, m.Text, m.New, m.Quoted, m.Signature} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in output: %q", s)
			}
		}
		for _, a := range m.Attachments {
			if _, _, err := ReadAttachment(raw, a.PartPath, lim); err != nil {
				t.Fatalf("listed part %s cannot be read: %v", a.PartPath, err)
			}
		}
		_, _ = ParseHeader(raw)
	})
}

func FuzzHTMLToText(f *testing.F) {
	for _, tc := range htmlCases {
		f.Add(tc.html)
	}
	for _, tc := range htmlDocumentCases {
		f.Add(tc.html)
	}
	addCorpus(f, func(b []byte) {
		if i := bytes.Index(b, []byte("<html")); i >= 0 {
			f.Add(string(b[i:]))
		}
	})
	f.Fuzz(func(t *testing.T, src string) {
		for _, convert := range []func(string) (string, Cleaning){HTMLToText, HTMLDocumentToText} {
			text, cl := convert(src)
			if cl.HiddenElements < 0 || cl.TrackingImages < 0 || cl.Scripts < 0 {
				t.Fatalf("negative counts %+v", cl)
			}
			if strings.Contains(text, "<script") && !strings.Contains(src, "&lt;script") && !strings.Contains(src, "<script") {
				t.Fatalf("script tag appeared from nowhere")
			}
		}
	})
}

func FuzzSplit(f *testing.F) {
	for _, tc := range splitCases {
		f.Add(tc.text, false)
	}
	f.Add("> a\n>> b\nLe x a écrit :\n\n-- \n", true)
	f.Fuzz(func(t *testing.T, text string, forward bool) {
		n, q, s, _ := split(normalizeText(text), forward)
		if len(n)+len(q)+len(s) > 4*len(text)+16 {
			t.Fatalf("output larger than input: %d > %d", len(n)+len(q)+len(s), len(text))
		}
	})
}

func FuzzReadMbox(f *testing.F) {
	f.Add([]byte(testMbox))
	f.Add([]byte("From \n\nFrom \n>From x\n"))
	addCorpus(f, func(b []byte) { f.Add(append([]byte("From x@y Mon Jun  3 10:00:00 2024\n"), b...)) })
	f.Fuzz(func(t *testing.T, data []byte) {
		msgs, err := ReadMbox(bytes.NewReader(data), Limits{MaxSize: 1 << 20, MaxParts: 50})
		if err != nil {
			return
		}
		total := 0
		for _, m := range msgs {
			total += len(m)
		}
		if total > len(data) {
			t.Fatalf("mbox output %d bytes from %d", total, len(data))
		}
	})
}

func FuzzBuildThread(f *testing.F) {
	f.Add("a b c", "c a", "b")
	f.Add("a a a", "a", "a a")
	f.Fuzz(func(t *testing.T, ids, refs1, refs2 string) {
		var msgs []*Message
		for i, id := range strings.Fields(ids) {
			m := &Message{MessageID: id, Text: id}
			if i%2 == 0 {
				m.References = strings.Fields(refs1)
			} else {
				m.InReplyTo = strings.Fields(refs2)
			}
			msgs = append(msgs, m)
			if len(msgs) > 200 {
				break
			}
		}
		th := BuildThread(msgs)
		if len(th.Messages) > len(msgs) {
			t.Fatalf("thread grew: %d > %d", len(th.Messages), len(msgs))
		}
	})
}

// FuzzDecode reads a message part by part, as the IMAP source fetches it.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("Content-Type: multipart/alternative; boundary=a\r\n"), []byte("Content-Type: text/plain; format=flowed\r\n"), []byte("a \r\nb"), []byte("Content-Type: text/html; charset=x-unknown\r\nContent-Transfer-Encoding: base64\r\n"), []byte("PGI+"), int64(0))
	f.Add([]byte("Subject: x\r\n"), []byte("Content-Type: multipart/mixed\r\n"), []byte(""), []byte("Content-Disposition: attachment; filename*0*=utf-8''%C3%A9; filename*1=x\r\n"), []byte(""), int64(-3))
	f.Fuzz(func(t *testing.T, top, h1, b1, h2, b2 []byte, size int64) {
		root := Part{Header: top, Parts: []Part{{Header: h1, Body: b1}, {Header: h2, Body: b2, Size: size}, {Header: h2, Parts: []Part{{Header: h1}}}}}
		m, err := Decode(root, Limits{MaxSize: 1 << 20, MaxParts: 10, MaxDepth: 3})
		if err == nil {
			for _, s := range []string{m.Subject, m.Text, m.New, m.Quoted, m.Signature} {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 in output: %q", s)
				}
			}
		}
		_, _, _ = DecodeAttachment(h2, b2, "2", Limits{MaxSize: 1 << 10})
	})
}

// FuzzNormalizeSubject checks the subject key is a fixed point (threading and
// privacy's "DR" rule read the same thing however often it is applied), is
// trimmed, and never grows.
func FuzzNormalizeSubject(f *testing.F) {
	for _, tc := range subjectCases {
		f.Add(tc.in)
	}
	f.Add("[Re: [Fwd: Re(2) : [EXT] DR]]")
	f.Fuzz(func(t *testing.T, s string) {
		got := NormalizeSubject(s)
		if again := NormalizeSubject(got); again != got {
			t.Fatalf("not idempotent: %q → %q → %q", s, got, again)
		}
		if got != strings.TrimSpace(got) {
			t.Fatalf("untrimmed result %q", got)
		}
		if len(got) > len(s) {
			t.Fatalf("result %q longer than %q", got, s)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 from valid %q", s)
		}
	})
}
