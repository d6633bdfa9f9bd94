package imapraw

// STARTTLS by hand: go-imap's NewStartTLS creates the tls.Conn itself, which
// would leave the raw command layer (Conn) under TLS, reading
// ciphertext. So Plume reads the greeting, sends STARTTLS, shakes hands and
// only then starts go-imap, over the raw layer over TLS.

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/emersion/go-imap/v2"
)

// ErrNoSTARTTLS reports a server that cannot upgrade to TLS.
var ErrNoSTARTTLS = errors.New("imapraw: server does not offer STARTTLS")

// maxPlainLine caps a line read before TLS.
const maxPlainLine = 8 << 10

// StartTLS reads the greeting on conn, upgrades it with STARTTLS and
// returns the TLS connection, handshake done. The caller bounds it with
// the connection deadline.
func StartTLS(ctx context.Context, conn net.Conn, cfg *tls.Config) (*tls.Conn, error) {
	br := bufio.NewReaderSize(conn, 4096)
	greeting, err := readPlainLine(br)
	if err != nil {
		return nil, fmt.Errorf("greeting: %w", err)
	}
	typ, text, _ := strings.Cut(strings.TrimPrefix(greeting, "* "), " ")
	switch {
	case !strings.HasPrefix(greeting, "* "):
		return nil, fmt.Errorf("greeting: unexpected %.40q", greeting)
	case strings.EqualFold(typ, "PREAUTH"):
		// RFC 3501 7.1.4: an already authenticated clear connection cannot
		// be trusted to upgrade.
		return nil, errors.New("server sent PREAUTH on a clear connection")
	case !strings.EqualFold(typ, "OK"):
		return nil, status(typ + " " + text)
	}
	caps := capsCode(text)
	if caps == nil {
		if caps, err = plainCapability(conn, br); err != nil {
			return nil, err
		}
	}
	if !caps.Has(imap.CapStartTLS) {
		return nil, ErrNoSTARTTLS
	}
	if _, err := conn.Write([]byte("S1 STARTTLS\r\n")); err != nil {
		return nil, err
	}
	for {
		line, err := readPlainLine(br)
		if err != nil {
			return nil, fmt.Errorf("starttls: %w", err)
		}
		if rest, ok := strings.CutPrefix(line, "S1 "); ok {
			if err := status(rest); err != nil {
				return nil, err
			}
			break
		}
	}
	if br.Buffered() > 0 {
		// Bytes sent before the handshake would be taken as sent under TLS
		// (the STARTTLS response injection of CVE-2011-0411).
		return nil, errors.New("starttls: server sent data before the TLS handshake")
	}
	tc := tls.Client(conn, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, err
	}
	return tc, nil
}

// plainCapability asks CAPABILITY before TLS.
func plainCapability(conn net.Conn, br *bufio.Reader) (imap.CapSet, error) {
	if _, err := conn.Write([]byte("S0 CAPABILITY\r\n")); err != nil {
		return nil, err
	}
	caps := imap.CapSet{}
	for {
		line, err := readPlainLine(br)
		if err != nil {
			return nil, fmt.Errorf("capability: %w", err)
		}
		if rest, ok := strings.CutPrefix(line, "* "); ok {
			if c := capList(rest); c != nil {
				caps = c
			}
			continue
		}
		if rest, ok := strings.CutPrefix(line, "S0 "); ok {
			return caps, status(rest)
		}
	}
}

// capsCode returns the capabilities of a "[CAPABILITY ...]" response
// code at the start of text, or nil.
func capsCode(text string) imap.CapSet {
	rest, ok := strings.CutPrefix(text, "[")
	if !ok {
		return nil
	}
	code, _, ok := strings.Cut(rest, "]")
	if !ok {
		return nil
	}
	return capList(code)
}

// capList reads "CAPABILITY cap..." (a response or a response code);
// nil when s is something else.
func capList(s string) imap.CapSet {
	f := strings.Fields(s)
	if len(f) == 0 || !strings.EqualFold(f[0], "CAPABILITY") {
		return nil
	}
	caps := imap.CapSet{}
	for _, c := range f[1:] {
		caps[imap.Cap(strings.ToUpper(c))] = struct{}{}
	}
	return caps
}

// readPlainLine reads one line without its CRLF, at most
// maxPlainLine bytes.
func readPlainLine(br *bufio.Reader) (string, error) {
	var sb strings.Builder
	for {
		frag, err := br.ReadSlice('\n')
		if sb.Len()+len(frag) > maxPlainLine {
			return "", errors.New("line too long")
		}
		sb.Write(frag)
		if err == nil {
			return strings.TrimRight(sb.String(), "\r\n"), nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return "", err
		}
	}
}
