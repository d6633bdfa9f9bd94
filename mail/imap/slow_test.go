package imap

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/imap/imaptest"
)

// A large folder on slow storage: the server takes longer than Timeout to
// answer a header search, but says it is working. The thread is read;
// the same server gone silent times out; and a request whose total time
// runs out while the server still works says so (retry later), not that
// the server is down.
func TestSlowServer(t *testing.T) {
	src := func(t *testing.T, s *imaptest.Slow, total time.Duration) *Source {
		t.Helper()
		return newTestSource(t, s.Server, func(o *Options) { o.Timeout, o.TotalTimeout = 250*time.Millisecond, total })
	}
	seed := imaptest.Options{Messages: imaptest.Fixtures(t)}
	target := "<t1-3@mairie-exemple.fr>"
	who := mail.Caller{User: "agent"}

	t.Run("working", func(t *testing.T) {
		t.Parallel()
		working := imaptest.StartSlow(t, seed, imaptest.SlowOptions{Delay: 400 * time.Millisecond, Progress: 25 * time.Millisecond})
		th, err := src(t, working, time.Minute).Thread(context.Background(), who, target)
		if err != nil || th == nil || len(th.Messages) == 0 {
			t.Fatalf("a working server: %v", err)
		}
		if working.ProgressSent() == 0 {
			t.Fatal("the stand-in sent no progress")
		}
	})
	t.Run("silent", func(t *testing.T) {
		t.Parallel()
		silent := imaptest.StartSlow(t, seed, imaptest.SlowOptions{Delay: 400 * time.Millisecond})
		if _, err := src(t, silent, time.Minute).Thread(context.Background(), who, target); !errors.Is(err, mail.ErrTimeout) {
			t.Fatalf("a silent server: %v, want ErrTimeout", err)
		}
	})
	t.Run("busy", func(t *testing.T) {
		t.Parallel()
		busy := imaptest.StartSlow(t, seed, imaptest.SlowOptions{Delay: 2 * time.Second, Progress: 50 * time.Millisecond})
		if _, err := src(t, busy, 400*time.Millisecond).Thread(context.Background(), who, target); !errors.Is(err, mail.ErrStillWorking) {
			t.Fatalf("total time out while the server works: %v, want ErrStillWorking", err)
		}
	})
}
