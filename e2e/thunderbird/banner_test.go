package thunderbird

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/config"
)

// TestThunderbirdAutomaticBanner runs a Thunderbird against a Plume whose
// organisation turned the banner's automatic summary on
// (panel.banner_summary: automatic): the ordinary message's banner shows
// its summary without a click, with one summary request however often the
// message is displayed; the marked note's banner says so and sends none.
func TestThunderbirdAutomaticBanner(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 70*time.Second)
	defer cancel()
	e := newEnv(t, ctx, func(c *config.Config) { c.Panel.BannerSummary = config.BannerAutomatic })
	if !e.stepReady(t, ctx) {
		return
	}
	wait := func(d time.Duration) (context.Context, context.CancelFunc) { return context.WithTimeout(ctx, d) }
	summarised := func(t *testing.T, c context.Context) {
		t.Helper()
		if err := e.display(c, latestID, 2); err != nil {
			t.Fatal(err)
		}
		b, err := e.banner(c, "summary", "refused", "error")
		if err != nil {
			t.Fatal(err)
		}
		if b.State != "summary" || b.Run || b.Elements != 0 || !strings.Contains(b.Text, "La commune sollicite une subvention DETR 2026") {
			t.Errorf("banner on the ordinary message, no click: %+v", b)
		}
		if n := e.count("/api/v1/thread/summary", "<"+latestID+">"); n != 1 {
			t.Errorf("%d summary requests for <%s>, want 1: %+v", n, latestID, e.rec.Calls())
		}
	}

	e.step(t, "automatic", func(t *testing.T) {
		c, done := wait(30 * time.Second)
		defer done()
		summarised(t, c)
		// The markings were checked first.
		calls := e.rec.Calls()
		if len(calls) < 2 || calls[0].Path != "/api/v1/thread/check" || calls[0].MessageID != "<"+latestID+">" {
			t.Errorf("the banner did not check <%s> before summarising: %+v", latestID, calls)
		}
		e.shot("banner-automatic", shotMessage)
	})

	e.step(t, "marked", func(t *testing.T) {
		c, done := wait(20 * time.Second)
		defer done()
		e.markedBanner(t, c)
		// Give an automatic request the time it would take, then look.
		time.Sleep(time.Second)
		if !e.called("/api/v1/thread/check", "<"+restrictedID+">", "") || e.called("/api/v1/thread/summary", "<"+restrictedID+">", "") {
			t.Errorf("the marked note: checked, and no summary asked? %+v", e.rec.Calls())
		}
		e.shot("banner-automatic-marked", shotMessage)
	})

	e.step(t, "again", func(t *testing.T) {
		c, done := wait(20 * time.Second)
		defer done()
		// Displayed again: the summary is shown, not asked again.
		summarised(t, c)
	})
}
