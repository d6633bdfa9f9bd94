// Package imapraw carries the IMAP commands go-imap's client cannot send.
//
// go-imap v2 (beta.8) cannot send FETCH or SEARCH items it does not know,
// such as Gmail's X-GM-THRID, and has no raw command API
// (emersion/go-imap#512). [Conn] sits between the (TLS or plain) connection
// and imapclient.New: it reads the server stream line by line, hands go-imap
// every byte except the responses of a raw command in flight, and lets
// Plume send such a command with its own tag ([Conn.Command]).
//
// [StartTLS] upgrades a clear connection by hand, so that Conn sits above
// TLS rather than under it.
package imapraw

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"

	"github.com/emersion/go-imap/v2"
)

// tagPrefix starts the tags of raw commands. go-imap's tags are "T"
// and a counter (imapclient/client.go, beginCommand), so the two never meet.
const tagPrefix = "PLM"

// maxResponse caps the untagged data a raw command collects; past it
// the command fails (the connection stays usable).
const maxResponse = 1 << 20

// Greeting is shown to go-imap after a STARTTLS done by hand: the
// server greets only once, before TLS, and go-imap waits for a greeting. It
// has no CAPABILITY code, so go-imap asks for the capabilities again, as
// RFC 3501 requires after STARTTLS.
const Greeting = "* OK [PLUME] TLS established\r\n"

var (
	// ErrLine reports a raw command that is not one non-empty line.
	ErrLine    = errors.New("imapraw: raw command must be one non-empty line")
	errBusy    = errors.New("imapraw: raw command already in flight")
	errTooMuch = errors.New("imapraw: raw command response too large")
)

// Conn is a net.Conn for go-imap's client that can also carry raw
// commands (see command). go-imap's reader goroutine is the only caller of
// Read; every complete line it reads is routed, under mu, either to go-imap
// or to the raw command in flight. Literals ("{n}" or "{n+}" ending a line)
// follow their line's route and are streamed, never held whole.
type Conn struct {
	net.Conn

	// Reader state: only the goroutine calling Read touches it.
	buf     []byte   // chunk read from Conn
	out     []byte   // bytes for go-imap not yet returned
	off     int      // read position in out
	rerr    error    // read error to return once out is drained
	head    []byte   // start of the current line, until its route is known
	mid     bool     // inside a response whose route is known
	toRaw   bool     // the current response goes to lineCmd (or nowhere)
	lineCmd *pending // raw command of the current response; nil drops it
	tail    [32]byte // last bytes of the current line, for literal sizes
	ntail   int
	lit     int64 // bytes left in the current literal
	inLit   bool

	wmu sync.Mutex // one Write at a time

	mu   sync.Mutex
	cmd  *pending // raw command in flight
	seq  uint64
	dead error // Read failed: no more responses will come
}

// pending is one raw command; the reader goroutine fills it and closes
// done, after which only the command's caller reads it.
type pending struct {
	tag      string
	cur      []byte   // response being collected
	untagged [][]byte // complete untagged responses, without CRLF
	size     int
	err      error
	finished bool // reader-side: done is closed
	done     chan struct{}
}

// New wraps conn; greeting, if not empty, is read by go-imap
// before anything from conn.
func New(conn net.Conn, greeting string) *Conn {
	return &Conn{Conn: conn, buf: make([]byte, 32<<10), out: []byte(greeting)}
}

// Read returns the server's bytes meant for go-imap.
func (r *Conn) Read(p []byte) (int, error) {
	for r.off == len(r.out) {
		if r.rerr != nil {
			return 0, r.rerr
		}
		r.out, r.off = r.out[:0], 0
		n, err := r.Conn.Read(r.buf)
		r.feed(r.buf[:n])
		if err != nil {
			r.fail(err)
			r.rerr = err
		}
	}
	n := copy(p, r.out[r.off:])
	r.off += n
	return n, nil
}

// Write sends bytes to the server.
func (r *Conn) Write(p []byte) (int, error) {
	r.wmu.Lock()
	defer r.wmu.Unlock()
	return r.Conn.Write(p)
}

// feed routes b, the next bytes from the server.
func (r *Conn) feed(b []byte) {
	for len(b) > 0 {
		switch {
		case r.inLit:
			k := int64(len(b))
			if k > r.lit {
				k = r.lit
			}
			r.emit(b[:k])
			b = b[k:]
			r.lit -= k
			if r.lit == 0 {
				r.inLit = false
			}
		case !r.mid:
			// The route of a line is known from its first word.
			i := bytes.IndexAny(b, " \n")
			take := len(b)
			if i >= 0 {
				take = i + 1
			}
			if room := 64 - len(r.head); take > room {
				take = room
			}
			r.head = append(r.head, b[:take]...)
			b = b[take:]
			last := r.head[len(r.head)-1]
			if last == ' ' || last == '\n' || len(r.head) >= 64 {
				r.decide()
				head := r.head
				r.head = r.head[:0]
				r.line(head)
			}
		default:
			seg := b
			if i := bytes.IndexByte(b, '\n'); i >= 0 {
				seg = b[:i+1]
			}
			b = b[len(seg):]
			r.line(seg)
		}
	}
}

// decide chooses the route of the line starting with r.head: untagged
// responses while a raw command is in flight and lines tagged with the raw
// prefix go to the raw command, everything else to go-imap.
func (r *Conn) decide() {
	r.mu.Lock()
	cmd := r.cmd
	r.mu.Unlock()
	own := bytes.HasPrefix(r.head, []byte(tagPrefix))
	untagged := r.head[0] == '*'
	r.mid = true
	r.toRaw = own || (cmd != nil && untagged)
	r.lineCmd = nil
	if r.toRaw {
		r.lineCmd = cmd
	}
	r.ntail = 0
}

// line routes seg, part of the current line (ending it if it ends in LF).
func (r *Conn) line(seg []byte) {
	r.emit(seg)
	// Keep the line's last bytes: a literal announcement ends it.
	if len(seg) >= len(r.tail) {
		r.ntail = copy(r.tail[:], seg[len(seg)-len(r.tail):])
	} else {
		if over := r.ntail + len(seg) - len(r.tail); over > 0 {
			copy(r.tail[:], r.tail[over:r.ntail])
			r.ntail -= over
		}
		r.ntail += copy(r.tail[r.ntail:], seg)
	}
	if len(seg) == 0 || seg[len(seg)-1] != '\n' {
		return
	}
	n, ok := literalSize(r.tail[:r.ntail])
	r.ntail = 0
	if ok {
		// The response goes on after the literal, on the same route.
		r.lit, r.inLit = n, n > 0
		return
	}
	r.mid = false
	if r.toRaw {
		r.deliver()
	}
}

// emit sends b along the current route.
func (r *Conn) emit(b []byte) {
	if !r.toRaw {
		r.out = append(r.out, b...)
		return
	}
	cmd := r.lineCmd
	if cmd == nil || cmd.finished {
		return
	}
	if cmd.size+len(b) > maxResponse {
		cmd.err = errTooMuch
		return
	}
	cmd.cur = append(cmd.cur, b...)
	cmd.size += len(b)
}

// deliver hands a complete response to the raw command in flight.
func (r *Conn) deliver() {
	cmd := r.lineCmd
	if cmd == nil || cmd.finished {
		return
	}
	resp := bytes.TrimRight(cmd.cur, "\r\n")
	cmd.cur = nil
	if rest, ok := bytes.CutPrefix(resp, []byte(cmd.tag+" ")); ok {
		if cmd.err == nil {
			cmd.err = status(string(rest))
		}
		r.finish(cmd)
		return
	}
	if len(resp) > 0 && resp[0] == '*' {
		cmd.untagged = append(cmd.untagged, resp)
	}
	// Lines tagged for an earlier, abandoned raw command are dropped.
}

// finish completes cmd (reader goroutine only).
func (r *Conn) finish(cmd *pending) {
	if cmd.finished {
		return
	}
	cmd.finished = true
	r.mu.Lock()
	if r.cmd == cmd {
		r.cmd = nil
	}
	r.mu.Unlock()
	close(cmd.done)
}

// fail ends the raw command in flight when the connection cannot be read.
func (r *Conn) fail(err error) {
	r.mu.Lock()
	r.dead = err
	cmd := r.cmd
	r.mu.Unlock()
	if cmd != nil && !cmd.finished {
		cmd.err = err
		r.finish(cmd)
	}
}

// status turns a tagged completion ("OK ...", "NO [CODE] text",
// "BAD text") into nil or an *imap.Error, which classify maps to
// ErrUnavailable (or ErrNotFound for [NONEXISTENT]) without breaking the
// connection.
func status(s string) error {
	typ, text, _ := strings.Cut(s, " ")
	typ = strings.ToUpper(typ)
	if typ == "OK" {
		return nil
	}
	e := &imap.Error{Type: imap.StatusResponseType(typ), Text: text}
	if typ != "NO" && typ != "BAD" {
		e.Type = imap.StatusResponseTypeBad
		e.Text = s
	}
	if rest, ok := strings.CutPrefix(text, "["); ok {
		if code, after, ok := strings.Cut(rest, "]"); ok {
			if f := strings.Fields(code); len(f) > 0 {
				e.Code = imap.ResponseCode(strings.ToUpper(f[0]))
			}
			e.Text = strings.TrimSpace(after)
		}
	}
	return e
}

// command sends "<own tag> line" and returns the untagged responses that
// arrived until its tagged completion (without CRLF; literals inline).
// A tagged NO or BAD is an *imap.Error.
//
// It must only be called when no go-imap command is in flight: Plume holds
// a connection exclusively for one request and sends go-imap commands and
// raw commands one after the other. Unsolicited untagged responses (EXISTS,
// EXPUNGE...) arriving during a raw command are taken as its own, that is
// go-imap does not see them; Plume never changes a mailbox and rereads
// folders with EXAMINE, so none of its state depends on them.
//
// The caller bounds the wait with the connection deadline (imapConn.run):
// a stalled server makes go-imap's Read fail, which ends the command.
// It also returns when ctx ends or closed (go-imap's Closed) is closed.
func (r *Conn) Command(ctx context.Context, closed <-chan struct{}, line string) ([][]byte, error) {
	if line == "" || strings.ContainsAny(line, "\r\n") {
		return nil, ErrLine
	}
	cmd := &pending{done: make(chan struct{})}
	r.mu.Lock()
	switch {
	case r.dead != nil:
		err := r.dead
		r.mu.Unlock()
		return nil, err
	case r.cmd != nil:
		r.mu.Unlock()
		return nil, errBusy
	}
	r.seq++
	cmd.tag = tagPrefix + strconv.FormatUint(r.seq, 10)
	r.cmd = cmd
	r.mu.Unlock()

	if _, err := io.WriteString(r, cmd.tag+" "+line+"\r\n"); err != nil {
		r.abandon(cmd)
		return nil, err
	}
	select {
	case <-cmd.done:
		return cmd.untagged, cmd.err
	case <-ctx.Done():
		r.abandon(cmd)
		return nil, ctx.Err()
	case <-closed:
		select {
		case <-cmd.done:
			return cmd.untagged, cmd.err
		default:
		}
		r.abandon(cmd)
		return nil, net.ErrClosed
	}
}

// abandon forgets cmd: its late responses are dropped.
func (r *Conn) abandon(cmd *pending) {
	r.mu.Lock()
	if r.cmd == cmd {
		r.cmd = nil
	}
	r.mu.Unlock()
}

// literalSize reports whether line (its end suffices) ends with a
// literal announcement "{n}" or "{n+}" and returns n.
func literalSize(line []byte) (int64, bool) {
	line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
	if len(line) < 3 || line[len(line)-1] != '}' {
		return 0, false
	}
	line = line[:len(line)-1]
	line = bytes.TrimSuffix(line, []byte("+"))
	i := bytes.LastIndexByte(line, '{')
	if i < 0 || i == len(line)-1 || len(line)-i-1 > 18 {
		return 0, false
	}
	var n int64
	for _, c := range line[i+1:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}
