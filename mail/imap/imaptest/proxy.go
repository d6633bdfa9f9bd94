package imaptest

import (
	"bufio"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// A line proxy in front of an in-memory server, for the stand-ins that
// change what a real server would say (Gmail's commands, a slow server's
// progress). Commands and responses travel whole (line and literals), so a
// stand-in may answer a command itself, or write lines of its own, between
// two of the server's responses.

// session handles the commands of one client connection: it may answer a
// command itself (reply, true); write sends lines of its own to the client
// meanwhile, between two of the server's responses.
type session func(tag, cmd string, write func(string) error) (reply string, handled bool)

// lineProxy forwards client connections to backend.
type lineProxy struct {
	backend string
	// open starts the session of a new client connection.
	open func() session
	// response rewrites one response line (not literals); nil keeps it.
	response func(line string) string
}

// listen serves the proxy on a loopback port until t ends; it returns the
// proxy's address.
func (p *lineProxy) listen(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("imaptest: listen: %v", err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.proxy(c)
		}
	}()
	return ln.Addr().String()
}

// proxy forwards one client connection.
func (p *lineProxy) proxy(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", p.backend)
	if err != nil {
		return
	}
	defer server.Close()
	var wmu sync.Mutex
	go func() {
		defer client.Close()
		p.responses(server, client, &wmu)
	}()
	write := func(s string) error {
		wmu.Lock()
		defer wmu.Unlock()
		_, err := io.WriteString(client, s)
		return err
	}
	handle := p.open()
	br := bufio.NewReader(client)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		tag, cmd, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		if reply, ok := handle(tag, cmd, write); ok {
			if write(reply) != nil {
				return
			}
			continue
		}
		// Forward the command, with its literals.
		for {
			if _, err := io.WriteString(server, line); err != nil {
				return
			}
			n, ok := literal(line)
			if !ok {
				break
			}
			if _, err := io.CopyN(server, br, n); err != nil {
				return
			}
			if line, err = br.ReadString('\n'); err != nil {
				return
			}
		}
	}
}

// responses copies the server's responses to the client, a response (line
// and literals) at a time under wmu.
func (p *lineProxy) responses(server, client net.Conn, wmu *sync.Mutex) {
	br := bufio.NewReader(server)
	held := false
	defer func() {
		if held {
			wmu.Unlock()
		}
	}()
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		if !held {
			wmu.Lock()
			held = true
		}
		n, lit := literal(line)
		if !lit && p.response != nil {
			line = p.response(line)
		}
		if _, err := io.WriteString(client, line); err != nil {
			return
		}
		if lit {
			if _, err := io.CopyN(client, br, n); err != nil {
				return
			}
			continue
		}
		wmu.Unlock()
		held = false
	}
}

// literal reports whether a line announces a literal, and its size.
func literal(line string) (int64, bool) {
	s := strings.TrimRight(line, "\r\n")
	if !strings.HasSuffix(s, "}") {
		return 0, false
	}
	i := strings.LastIndexByte(s, '{')
	if i < 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSuffix(s[i+1:len(s)-1], "+"), 10, 64)
	return n, err == nil && n >= 0
}
