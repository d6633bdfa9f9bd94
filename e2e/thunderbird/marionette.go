package thunderbird

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"time"
)

// marionette is a minimal Marionette client: frames are "LENGTH:JSON",
// commands [0, id, name, params], replies [1, id, error, result].
type marionette struct {
	conn net.Conn
	r    *bufio.Reader
	mu   sync.Mutex
	id   int
}

// dialMarionette connects to Thunderbird's Marionette port, retrying until
// ctx ends (Thunderbird opens the port a few seconds after launch).
func dialMarionette(ctx context.Context, addr string) (*marionette, error) {
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			m := &marionette{conn: c, r: bufio.NewReader(c)}
			c.SetReadDeadline(time.Now().Add(20 * time.Second))
			if _, err := m.readFrame(); err != nil { // server hello
				c.Close()
				return nil, fmt.Errorf("marionette hello: %w", err)
			}
			return m, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("marionette: %w (last: %v)", ctx.Err(), err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (m *marionette) readFrame() ([]byte, error) {
	lenStr, err := m.r.ReadString(':')
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(lenStr[:len(lenStr)-1])
	if err != nil || n < 0 || n > 64<<20 {
		return nil, fmt.Errorf("marionette: bad frame length %q", lenStr)
	}
	buf := make([]byte, n)
	_, err = io.ReadFull(m.r, buf)
	return buf, err
}

// call sends one command and waits for its reply (at most timeout).
func (m *marionette) call(name string, params any, timeout time.Duration) (json.RawMessage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.id++
	id := m.id
	body, err := json.Marshal([]any{0, id, name, params})
	if err != nil {
		return nil, err
	}
	m.conn.SetDeadline(time.Now().Add(timeout))
	if _, err := fmt.Fprintf(m.conn, "%d:%s", len(body), body); err != nil {
		return nil, err
	}
	for {
		f, err := m.readFrame()
		if err != nil {
			return nil, fmt.Errorf("marionette %s: %w", name, err)
		}
		var reply []json.RawMessage
		if err := json.Unmarshal(f, &reply); err != nil || len(reply) != 4 {
			return nil, fmt.Errorf("marionette %s: bad reply %.200s", name, f)
		}
		var rid int
		json.Unmarshal(reply[1], &rid)
		if rid != id {
			continue
		}
		if string(reply[2]) != "null" {
			return nil, fmt.Errorf("marionette %s: %s", name, reply[2])
		}
		return reply[3], nil
	}
}

// script runs JavaScript in the current context; async scripts resolve
// through the last argument (Marionette's callback).
func (m *marionette) script(async bool, src string, args []any, timeout time.Duration) (json.RawMessage, error) {
	cmd := "WebDriver:ExecuteScript"
	if async {
		cmd = "WebDriver:ExecuteAsyncScript"
	}
	if args == nil {
		args = []any{}
	}
	res, err := m.call(cmd, map[string]any{"script": src, "args": args, "scriptTimeout": timeout.Milliseconds()}, timeout+5*time.Second)
	if err != nil {
		return nil, err
	}
	var v struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(res, &v); err != nil {
		return nil, err
	}
	return v.Value, nil
}

var errNotYet = errors.New("condition not met yet")

// waitFor polls a chrome script until it returns a truthy JSON value.
func (m *marionette) waitFor(ctx context.Context, what, src string, args []any) (json.RawMessage, error) {
	var last json.RawMessage
	var lastErr error
	for {
		v, err := m.script(false, src, args, 10*time.Second)
		if err == nil && len(v) > 0 && string(v) != "null" && string(v) != "false" && string(v) != `""` && string(v) != "0" {
			return v, nil
		}
		last, lastErr = v, err
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for %s: %w (last value %.300s, last error %v)", what, errNotYet, last, lastErr)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func (m *marionette) close() { m.conn.Close() }
