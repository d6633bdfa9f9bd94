package imap

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/imap/imaptest"
)

// TestEvalLargeFolder measures issue 16 finding 17 on a real Dovecot: a
// 100,000-message INBOX (PLUME_EVAL_IMAP100K_N overrides the count) holding
// one 20-message thread, written as maildir files before Dovecot starts.
// Each subtest starts its own Dovecot on fresh files (a cold folder: no
// index, no cache) and removes it at its end, so one copy is on disk at a
// time. Figures are logged; see docs/imap.md "Large or slow mailboxes".
//
//	PLUME_EVAL_IMAP100K=1 go test -count=1 -timeout 30m -run TestEvalLargeFolder -v ./mail/imap/
func TestEvalLargeFolder(t *testing.T) {
	if os.Getenv("PLUME_EVAL_IMAP100K") == "" {
		t.Skip("evaluation: set PLUME_EVAL_IMAP100K=1 (takes minutes, ~1 GB of disk at a time)")
	}
	n := 100000
	if v := os.Getenv("PLUME_EVAL_IMAP100K_N"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < evalThreadLen*2 {
			t.Fatalf("PLUME_EVAL_IMAP100K_N=%q", v)
		}
	}
	target := evalThreadID(evalThreadLen / 2)
	who := mail.Caller{User: "agent"}
	cacheConf := "mail_always_cache_fields = hdr.message-id hdr.in-reply-to hdr.references\n"
	start := func(t *testing.T, conf string) *imaptest.Server {
		t.Helper()
		began := time.Now()
		s := imaptest.StartDovecot(t, imaptest.Options{DovecotConfig: conf, Maildir: func(dir string) error { return evalMaildir(dir, n) }})
		t.Logf("%d messages written and Dovecot started in %v", n, time.Since(began).Round(time.Millisecond))
		return s
	}
	read := func(t *testing.T, s *imaptest.Server, silence, total time.Duration, what string) error {
		t.Helper()
		src := newTestSource(t, s, func(o *Options) { o.Timeout, o.TotalTimeout = silence, total })
		return evalRead(t, src, who, target, what)
	}

	// (1) the first read, cold; (2) again on the same connection, and on a
	// new one.
	t.Run("cold-warm", func(t *testing.T) {
		s := start(t, "")
		src := newTestSource(t, s, func(o *Options) { o.Timeout, o.TotalTimeout = 5*time.Minute, 10*time.Minute })
		if err := evalRead(t, src, who, target, "cold, first read"); err != nil {
			t.Fatal(err)
		}
		if err := evalRead(t, src, who, target, "warm, same connection"); err != nil {
			t.Fatal(err)
		}
		if err := read(t, s, 5*time.Minute, 10*time.Minute, "warm, new connection"); err != nil {
			t.Fatal(err)
		}
	})
	// (4) what Dovecot sends while it works on a cold folder: the commands
	// Plume sends, one at a time on a raw connection.
	t.Run("progress", func(t *testing.T) {
		s := start(t, "")
		evalRaw(t, s, []string{
			"SELECT INBOX",
			"UID SEARCH HEADER Message-ID " + target,
			"UID SEARCH HEADER References " + evalThreadID(0),
			"UID THREAD REFERENCES UTF-8 ALL",
		})
	})
	// (5) a short silence timeout and total, cold.
	t.Run("short-cold", func(t *testing.T) {
		s := start(t, "")
		evalOutcome(t, read(t, s, time.Second, 3*time.Second, "cold, timeout 1s, total 3s"))
	})
	// (3) the header fields cached up front: doveadm index (what delivery
	// through LDA/LMTP does message by message), then Plume's first read.
	t.Run("cached", func(t *testing.T) {
		s := start(t, cacheConf)
		evalIndex(t, s)
		if err := read(t, s, 5*time.Minute, 10*time.Minute, "cached fields, first read"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("cached-progress", func(t *testing.T) {
		s := start(t, cacheConf)
		evalIndex(t, s)
		evalRaw(t, s, []string{
			"SELECT INBOX",
			"UID SEARCH HEADER Message-ID " + target,
			"UID SEARCH HEADER References " + evalThreadID(0),
			"UID THREAD REFERENCES UTF-8 ALL",
		})
	})
	t.Run("cached-short", func(t *testing.T) {
		s := start(t, cacheConf)
		evalIndex(t, s)
		evalOutcome(t, read(t, s, time.Second, 3*time.Second, "cached fields, first read, timeout 1s, total 3s"))
	})
}

const evalThreadLen = 20

func evalThreadID(k int) string { return fmt.Sprintf("<eval-thread-%02d@plume.test>", k) }

// evalMaildir writes n small messages into the maildir dir, the thread's
// evalThreadLen messages spread evenly among them.
func evalMaildir(dir string, n int) error {
	step := n / evalThreadLen
	base := time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		var b strings.Builder
		date := base.Add(time.Duration(i) * time.Minute)
		fmt.Fprintf(&b, "From: sender%d@example.org\nTo: agent@mairie-exemple.fr\nDate: %s\n", i%997, date.Format(time.RFC1123Z))
		if i%step == step/2 && i/step < evalThreadLen {
			k := i / step
			fmt.Fprintf(&b, "Message-ID: %s\nSubject: %sDemande de permis\n", evalThreadID(k), strings.Repeat("Re: ", min(k, 1)))
			if k > 0 {
				refs := make([]string, k)
				for j := range refs {
					refs[j] = evalThreadID(j)
				}
				fmt.Fprintf(&b, "In-Reply-To: %s\nReferences: %s\n", evalThreadID(k-1), strings.Join(refs, "\n "))
			}
		} else {
			fmt.Fprintf(&b, "Message-ID: <m%d@example.org>\nSubject: Message %d\n", i, i)
			if i%3 == 1 {
				fmt.Fprintf(&b, "In-Reply-To: <m%d@example.org>\nReferences: <m%d@example.org>\n", i-1, i-1)
			}
		}
		fmt.Fprintf(&b, "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nBonjour,\n\nmessage %d de l'évaluation.\n\nCordialement\n", i)
		body := b.String()
		name := fmt.Sprintf("%d.M%dP1.plume,S=%d:2,S", date.Unix(), i, len(body))
		if err := os.WriteFile(filepath.Join(dir, "cur", name), []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// evalRead reads the thread, logging the time taken.
func evalRead(t *testing.T, src *Source, who mail.Caller, target, what string) error {
	t.Helper()
	began := time.Now()
	th, err := src.Thread(context.Background(), who, target)
	took := time.Since(began).Round(time.Millisecond)
	if err != nil {
		t.Logf("%s: %v after %v", what, err, took)
		return err
	}
	t.Logf("%s: %d messages in %v", what, len(th.Messages), took)
	if len(th.Messages) != evalThreadLen {
		t.Errorf("%s: %d messages, want %d", what, len(th.Messages), evalThreadLen)
	}
	return nil
}

// evalOutcome logs what a short deadline gave.
func evalOutcome(t *testing.T, err error) {
	t.Helper()
	switch {
	case err == nil:
		t.Log("outcome: success")
	case errors.Is(err, mail.ErrStillWorking):
		t.Log("outcome: ErrStillWorking (mail_busy)")
	case errors.Is(err, mail.ErrTimeout):
		t.Log("outcome: ErrTimeout (mail_timeout)")
	default:
		t.Errorf("outcome: unexpected error %v", err)
	}
}

// evalIndex runs doveadm index on INBOX, logging the time taken.
func evalIndex(t *testing.T, s *imaptest.Server) {
	t.Helper()
	began := time.Now()
	out, err := exec.Command("doveadm", "-c", s.ConfigFile, "index", "-u", s.User, "INBOX").CombinedOutput()
	if err != nil {
		t.Fatalf("doveadm index: %v\n%s", err, out)
	}
	took := time.Since(began).Round(time.Millisecond)
	var size int64
	if fi, err := os.Stat(filepath.Join(filepath.Dir(s.ConfigFile), "home", s.User, "Maildir", "dovecot.index.cache")); err == nil {
		size = fi.Size()
	}
	t.Logf("doveadm index INBOX: %v, dovecot.index.cache %d KiB", took, size>>10)
}

// evalRaw sends cmds one at a time on a raw IMAP connection and logs, for
// each, the time taken, the untagged OK lines without a response code
// (Dovecot's progress) and the longest silence between lines.
func evalRaw(t *testing.T, s *imaptest.Server, cmds []string) {
	t.Helper()
	conn, err := net.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Minute))
	r := bufio.NewReaderSize(conn, 1<<20)
	if _, err := r.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	run := func(tag, cmd string, logIt bool) {
		t.Helper()
		if _, err := fmt.Fprintf(conn, "%s %s\r\n", tag, cmd); err != nil {
			t.Fatal(err)
		}
		began := time.Now()
		last := began
		var gap time.Duration
		var progress []string
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("%s: %v", cmd, err)
			}
			now := time.Now()
			gap = max(gap, now.Sub(last))
			last = now
			if strings.HasPrefix(line, "* OK ") && !strings.HasPrefix(line, "* OK [") {
				progress = append(progress, strings.TrimSpace(line[5:]))
			}
			if strings.HasPrefix(line, tag+" ") {
				if !strings.HasPrefix(line, tag+" OK") {
					t.Fatalf("%s: %s", cmd, line)
				}
				break
			}
		}
		if logIt {
			first, lastp := "", ""
			if len(progress) > 0 {
				first, lastp = progress[0], progress[len(progress)-1]
			}
			t.Logf("%s: %v, %d progress lines (first %q, last %q), longest silence %v", cmd,
				time.Since(began).Round(time.Millisecond), len(progress), first, lastp, gap.Round(time.Millisecond))
		}
	}
	run("a0", fmt.Sprintf("LOGIN %s %s", s.User, s.Password), false)
	for i, cmd := range cmds {
		run(fmt.Sprintf("a%d", i+1), cmd, true)
	}
}
