package imaptest

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// SlowOptions shape a slow server (StartSlow).
type SlowOptions struct {
	// Delay holds every SEARCH this long before the server sees it, as a
	// server searching a large folder on slow storage takes it.
	Delay time.Duration
	// Progress is the interval of the "* OK Searched N% of the mailbox"
	// lines sent meanwhile, as Dovecot does; zero sends none (a server
	// that has gone silent).
	Progress time.Duration
}

// Slow is a running slow server.
type Slow struct {
	*Server
	progress atomic.Int32
}

// ProgressSent counts the progress lines sent so far.
func (s *Slow) ProgressSent() int { return int(s.progress.Load()) }

// StartSlow starts go-imap's in-memory server seeded like StartMem, behind
// a proxy that makes every SEARCH slow, with or without progress lines.
// What it stands for: a 100,000-message folder whose header searches take
// tens of seconds; what it proves is how the client tells a working server
// from an idle one, not how fast any server is.
func StartSlow(t testing.TB, opts Options, slow SlowOptions) *Slow {
	t.Helper()
	mem := StartMem(t, opts)
	s := &Slow{}
	p := &lineProxy{backend: mem.Addr, open: func() session {
		return func(_, cmd string, write func(string) error) (string, bool) {
			if !strings.Contains(strings.ToUpper(cmd), "SEARCH") {
				return "", false
			}
			end := time.Now().Add(slow.Delay)
			for step := 1; time.Now().Before(end); step++ {
				wait := time.Until(end)
				if slow.Progress > 0 && slow.Progress < wait {
					wait = slow.Progress
				}
				time.Sleep(wait)
				if slow.Progress > 0 && time.Now().Before(end) {
					pct := min(99, int(100*float64(step)*float64(slow.Progress)/float64(slow.Delay)))
					if write(fmt.Sprintf("* OK Searched %d%% of the mailbox\r\n", pct)) != nil {
						return "", false
					}
					s.progress.Add(1)
				}
			}
			return "", false
		}
	}}
	srv := *mem
	srv.Kind = "slow"
	srv.Addr = p.listen(t)
	s.Server = &srv
	return s
}
