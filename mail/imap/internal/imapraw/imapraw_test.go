package imapraw

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/emersion/go-imap/v2"
)

// feedAll runs the line reader over chunks of in, with a raw command
// in flight when raw is set, and returns what go-imap got.
func feedAll(in []byte, cut []byte, raw bool) (r *Conn, cmd *pending) {
	r = New(nil, "")
	if raw {
		cmd = &pending{tag: tagPrefix + "1", done: make(chan struct{})}
		r.cmd = cmd
	}
	for len(in) > 0 {
		n := 1
		if len(cut) > 0 {
			n = int(cut[0])%64 + 1
			cut = cut[1:]
		}
		n = min(n, len(in))
		r.feed(in[:n])
		in = in[n:]
	}
	return r, cmd
}

var streams = []struct {
	in             string
	idle, inFlight string // what go-imap gets
	untagged       int    // responses the raw command gets
	finished       bool
}{
	{"* 1 FETCH (UID 4 BODY[] {11}\r\nPLM1 OK hi)\r\nT1 OK done\r\n", "* 1 FETCH (UID 4 BODY[] {11}\r\nPLM1 OK hi)\r\nT1 OK done\r\n", "T1 OK done\r\n", 1, false},
	{"* SEARCH 1 2 3\r\nPLM1 OK done\r\n* 2 EXISTS\r\n", "* SEARCH 1 2 3\r\n* 2 EXISTS\r\n", "* 2 EXISTS\r\n", 1, true},
	{"* 1 FETCH (BODY[] {5+}\r\n* a\r\n BODY[1] {0}\r\n)\r\nPLM1 NO [CANNOT] no\r\n", "* 1 FETCH (BODY[] {5+}\r\n* a\r\n BODY[1] {0}\r\n)\r\n", "", 1, true},
	{"* 12 FETCH (X-GM-THRID 1278455344230334865 UID 4)\r\n* 3 EXPUNGE\r\nPLM1 OK Success\r\n", "* 12 FETCH (X-GM-THRID 1278455344230334865 UID 4)\r\n* 3 EXPUNGE\r\n", "", 2, true},
}

// The reader routes as the protocol says, however the stream is cut.
func TestRoute(t *testing.T) {
	for _, tc := range streams {
		for _, cut := range [][]byte{nil, {3, 7, 1}, {63}, {12, 0, 0, 40}} {
			r, _ := feedAll([]byte(tc.in), cut, false)
			if string(r.out) != tc.idle {
				t.Errorf("idle: %q cut %v: go-imap got %q", tc.in, cut, r.out)
			}
			r, cmd := feedAll([]byte(tc.in), cut, true)
			if string(r.out) != tc.inFlight {
				t.Errorf("in flight: %q cut %v: go-imap got %q", tc.in, cut, r.out)
			}
			if cmd.finished != tc.finished || len(cmd.untagged) != tc.untagged {
				t.Errorf("in flight: %q: finished %v, untagged %q", tc.in, cmd.finished, cmd.untagged)
			}
		}
	}
	_, cmd := feedAll([]byte(streams[2].in), nil, true)
	var ie *imap.Error
	if !errors.As(cmd.err, &ie) || ie.Type != imap.StatusResponseTypeNo || ie.Code != "CANNOT" || ie.Text != "no" {
		t.Errorf("NO: err = %#v", cmd.err)
	}
	if got := string(cmd.untagged[0]); got != "* 1 FETCH (BODY[] {5+}\r\n* a\r\n BODY[1] {0}\r\n)" {
		t.Errorf("literal kept whole: %q", got)
	}
}

func FuzzRead(f *testing.F) {
	for _, tc := range streams {
		f.Add([]byte(tc.in), []byte{3, 9}, true)
		f.Add([]byte(tc.in), []byte{}, false)
	}
	f.Fuzz(func(t *testing.T, in, cut []byte, raw bool) {
		r, cmd := feedAll(in, cut, raw)
		got := r.out
		if !raw && !bytes.Contains(in, []byte(tagPrefix)) && !bytes.Equal(in, append(got, r.head...)) {
			t.Fatalf("idle reader dropped bytes: %q -> %q", in, got)
		}
		if raw && len(got)+cmd.size > len(in) {
			t.Fatalf("more out than in")
		}
	})
}

// BenchmarkRead: what the line reader under go-imap costs on a
// THREAD answer for 8,000 messages and a FETCH of ten 1 KiB literals.
func BenchmarkRead(b *testing.B) {
	var in bytes.Buffer
	in.WriteString("* THREAD ")
	for i := 1; i <= 8000; i += 4 {
		fmt.Fprintf(&in, "(%d %d %d %d)", i, i+1, i+2, i+3)
	}
	in.WriteString("\r\nT1 OK done\r\n")
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&in, "* %d FETCH (UID %d BODY[HEADER] {1024}\r\n%s)\r\n", i, i, bytes.Repeat([]byte("x"), 1024))
	}
	in.WriteString("T2 OK done\r\n")
	data := in.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := New(nil, "")
		for off := 0; off < len(data); off += 4096 {
			r.feed(data[off:min(off+4096, len(data))])
			r.out = r.out[:0]
		}
	}
}

// FuzzParse covers the literal-size, status and capability parsers.
func FuzzParse(f *testing.F) {
	f.Add([]byte("* 1 FETCH (BODY[] {5+}"))
	f.Add([]byte("PLM1 NO [CANNOT] no"))
	f.Add([]byte("[CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready"))
	f.Fuzz(func(t *testing.T, line []byte) {
		if caps := capsCode(string(line)); caps != nil && !bytes.HasPrefix(line, []byte("[")) {
			t.Fatal("capabilities read from outside a response code")
		}
		if n, ok := literalSize(line); ok && n < 0 {
			t.Fatal("negative literal")
		}
		_ = status(string(line))
	})
}
