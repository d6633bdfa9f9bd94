package thunderbird

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

// frenchMenu and englishMenu are the attachment menu entry's labels.
const (
	frenchMenu  = "Résumer la pièce jointe avec Plume"
	englishMenu = "Summarise the attachment with Plume"
)

// TestThunderbird drives Plume's extension in a real Thunderbird: thread
// summary, reply inserted with compose.beginReply, attachment summary from
// the attachment menu, and the refusal of a DIFFUSION RESTREINTE attachment.
// The scenarios share one Thunderbird (start-up is most of the cost) and run
// in order.
func TestThunderbird(t *testing.T) {
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Second)
	defer cancel()
	e := newEnv(t, ctx)
	t.Logf("set-up (Dovecot, Plume, profile, login store, Thunderbird start): %s", time.Since(began).Round(100*time.Millisecond))
	step := func(name string, f func(t *testing.T)) bool { return e.step(t, name, f) }
	wait := func(d time.Duration) (context.Context, context.CancelFunc) { return context.WithTimeout(ctx, d) }

	if !e.stepReady(t, ctx) {
		return
	}

	summarised := step("summary", func(t *testing.T) {
		c, done := wait(30 * time.Second)
		defer done()
		if err := e.openOn(c, latestID, 2); err != nil {
			t.Fatal(err)
		}
		if _, err := e.js(`const d = popupReady(); d.querySelector("[data-tab=summary]").click(); d.querySelector("[data-action=summarize]").click(); return true;`); err != nil {
			t.Fatal(err)
		}
		v, err := e.until(c, "the summary in the panel", `
const d = popupReady(), p = d && d.querySelector("[data-panel=summary]");
if (!p) return false;
const res = text(p.querySelector("[data-role=summary-result]")), alert = text(p.querySelector("[role=alert], .alert"));
return res || alert ? {res, alert} : false;
`)
		if err != nil {
			t.Fatal(err)
		}
		var got struct{ Res, Alert string }
		json.Unmarshal(v, &got)
		if !strings.Contains(got.Res, "La commune sollicite une subvention DETR 2026") || !strings.Contains(got.Res, "Pièces manquantes à transmettre") {
			t.Errorf("summary in the panel: %q (alert %q)", oneLine(got.Res), oneLine(got.Alert))
		}
		if !e.called("/api/v1/thread/summary", "<"+latestID+">", "") {
			t.Errorf("Plume received no thread summary request for <%s>: %+v", latestID, e.rec.Calls())
		}
		e.shot("summary", shotPopup)
	})

	step("reply", func(t *testing.T) {
		if !summarised {
			t.Skip("the panel did not open")
		}
		c, done := wait(30 * time.Second)
		defer done()
		if _, err := e.js(`const d = popupReady(); d.querySelector("[data-tab=reply]").click(); d.querySelector("[data-action=draft]").click(); return true;`); err != nil {
			t.Fatal(err)
		}
		v, err := e.until(c, "the draft in the panel", `
const d = popupReady(), p = d && d.querySelector("[data-panel=reply]");
const ta = p && p.querySelector("[data-role=draft]"), ins = p && p.querySelector("[data-action=insert]");
if (!ta || ta.getAttribute("aria-busy") !== "false" || !ins || ins.closest("[hidden]")) {
  const alert = p && text(p.querySelector("[role=alert], .alert"));
  return alert ? {alert} : false;
}
const w = d.defaultView, bar = d.querySelector("[data-role=bar]").getBoundingClientRect(), r = ins.getBoundingClientRect();
return {draft: ta.value, focused: d.activeElement === ta, insertTop: r.top, insertBottom: r.bottom, barBottom: bar.bottom, height: w.innerHeight};
`)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Draft, Alert                               string
			Focused                                    bool
			InsertTop, InsertBottom, BarBottom, Height float64
		}
		json.Unmarshal(v, &got)
		if got.Draft != fakeReply {
			t.Fatalf("draft in the panel: %q (alert %q)", got.Draft, got.Alert)
		}
		// The draft arrives in view, its Insert button below the sticky bar and above the fold, the focus on it.
		if !got.Focused || got.InsertTop < got.BarBottom || got.InsertBottom > got.Height {
			t.Errorf("draft not brought into view: focused %v, Insert at %.0f–%.0f, bar ends at %.0f, popup %.0f px high", got.Focused, got.InsertTop, got.InsertBottom, got.BarBottom, got.Height)
		}
		e.shot("draft", shotPopup)
		if !e.called("/api/v1/thread/reply", "<"+latestID+">", "") {
			t.Errorf("Plume received no reply request for <%s>: %+v", latestID, e.rec.Calls())
		}
		if _, err := e.js(`popupReady().querySelector("[data-panel=reply] [data-action=insert]").click(); return true;`); err != nil {
			t.Fatal(err)
		}
		v, err = e.until(c, "a compose window holding the draft", `
const cw = Services.wm.getMostRecentWindow("msgcompose");
if (!cw || cw.document.readyState !== "complete") return false;
const ed = cw.document.getElementById("messageEditor"), body = ed && ed.contentDocument && ed.contentDocument.body;
if (!body || !body.textContent.includes("distinguées")) return false;
const first = [], sig = body.querySelector(".moz-signature"), cite = body.querySelector(".moz-cite-prefix"), quote = body.querySelector("blockquote[type=cite]");
for (const el of body.children) { if (el.tagName !== "P" || !el.textContent.trim()) break; first.push(el.textContent); }
const pos = (el) => el ? [...body.querySelectorAll("*")].indexOf(el) : -1;
return {paragraphs: first, subject: cw.document.getElementById("msgSubject").value,
  signature: sig ? sig.textContent : "", attribution: cite ? cite.textContent : "", quote: quote ? quote.textContent : "",
  order: [pos(body.firstElementChild), pos(sig), pos(cite), pos(quote)],
  to: [...cw.document.querySelectorAll("#toAddrContainer mail-address-pill")].map(p => p.fullAddress || p.label)};
`)
		if err != nil {
			t.Fatal(err)
		}
		var compose struct {
			Paragraphs                    []string
			Subject                       string
			Signature, Attribution, Quote string
			Order                         []int
			To                            []string
		}
		json.Unmarshal(v, &compose)
		e.shot("compose", shotCompose)
		want := strings.Split(fakeReply, "\n\n")
		if strings.Join(compose.Paragraphs, "\n\n") != fakeReply {
			t.Errorf("the draft's paragraphs at the top of the reply:\n got %q\nwant %q", compose.Paragraphs, want)
		}
		// What Thunderbird's own reply holds is kept below the draft: the
		// identity's signature (above the quote, as configured), the
		// « … a écrit : » attribution and the quoted mail.
		if !strings.Contains(compose.Signature, "Préfecture de la Somme") {
			t.Errorf("signature lost: %q", compose.Signature)
		}
		if !strings.Contains(compose.Attribution, "a écrit") {
			t.Errorf("attribution lost: %q", compose.Attribution)
		}
		if !strings.Contains(compose.Quote, "délibération du conseil municipal") {
			t.Errorf("quoted mail lost: %q", oneLine(compose.Quote))
		}
		if o := compose.Order; len(o) != 4 || !(o[0] < o[1] && o[1] < o[2] && o[2] < o[3]) {
			t.Errorf("order draft < signature < attribution < quote: %v", o)
		}
		if !strings.HasPrefix(compose.Subject, "Re: ") || !strings.Contains(compose.Subject, "DETR 2026") {
			t.Errorf("compose subject %q", compose.Subject)
		}
		t.Logf("compose window: subject %q, to %v", compose.Subject, compose.To)
		e.js(`const cw = Services.wm.getMostRecentWindow("msgcompose"); if (cw) { cw.gContentChanged = false; cw.close(); } return true;`)
	})

	step("banner", func(t *testing.T) {
		c, done := wait(30 * time.Second)
		defer done()
		if err := e.closePopup(c); err != nil {
			t.Fatal(err)
		}
		if err := e.display(c, latestID, 2); err != nil {
			t.Fatal(err)
		}
		// The banner at the top of the message, checked (POST /thread/check), offers « Résumer ».
		b, err := e.banner(c, "ready", "refused", "error")
		if err != nil {
			t.Fatal(err)
		}
		if b.State != "ready" || !b.Run {
			t.Fatalf("banner on an ordinary message: %+v", b)
		}
		if !e.called("/api/v1/thread/check", "<"+latestID+">", "") {
			t.Errorf("the banner did not check <%s>: %+v", latestID, e.rec.Calls())
		}
		asked := e.count("/api/v1/thread/summary", "<"+latestID+">")
		if err := e.bannerSummarize(); err != nil {
			t.Fatal(err)
		}
		b, err = e.banner(c, "summary", "refused", "error")
		if err != nil {
			t.Fatal(err)
		}
		if b.State != "summary" || !strings.Contains(b.Text, "La commune sollicite une subvention DETR 2026") || !strings.Contains(b.Text, "Pièces manquantes à transmettre") {
			t.Errorf("banner summary: %+v", b)
		}
		// Text only: the model's words never become elements in the mail.
		if b.Elements != 0 {
			t.Errorf("the banner's summary holds %d elements", b.Elements)
		}
		if e.count("/api/v1/thread/summary", "<"+latestID+">") != asked+1 {
			t.Errorf("the banner's summary did not go through Plume's API for <%s>: %+v", latestID, e.rec.Calls())
		}
		e.shot("banner", shotMessage)
	})

	attachment := func(t *testing.T, messageID string, attachments int, name string, check func(t *testing.T, card string)) {
		c, done := wait(40 * time.Second)
		defer done()
		if err := e.display(c, messageID, attachments); err != nil {
			t.Fatal(err)
		}
		// Thunderbird's listAttachments / getAttachmentFile fail now and then
		// right after start-up ("An unexpected error occurred"); the extension
		// retries, and so does the suite, once, from the right-click.
		var card string
		for attempt := 1; attempt <= 2; attempt++ {
			a, cancel := context.WithTimeout(c, 15*time.Second)
			label, err := e.attachmentMenu(a, name)
			if err == nil {
				switch {
				case label == frenchMenu:
				case label == englishMenu && !frenchUI():
					t.Logf("menu entry %q: Thunderbird's French language pack is not installed (apt-get install thunderbird-l10n-fr)", label)
				default:
					t.Errorf("menu entry %q, want %q", label, frenchMenu)
				}
				card, err = e.attachmentCard(a, name)
			}
			cancel()
			if err == nil && !strings.Contains(card, "unknown") {
				break
			}
			t.Logf("attempt %d: %v %s", attempt, err, oneLine(card))
			if attempt == 2 {
				t.Fatalf("no summary card for %s", name)
			}
		}
		check(t, card)
		// The upload names its carrying message, so that message's markings apply.
		if !e.called("/api/v1/attachment/summary", "<"+messageID+">", name) && !e.called("/api/v1/attachment/summary", messageID, name) {
			t.Errorf("Plume received no attachment request naming %s with its message <%s>: %+v", name, messageID, e.rec.Calls())
		}
	}

	step("attachment", func(t *testing.T) {
		attachment(t, latestID, 2, pdfName, func(t *testing.T, card string) {
			if !strings.Contains(card, "La délibération approuve le projet de rénovation de l'école") {
				t.Errorf("attachment summary card: %q", oneLine(card))
			}
		})
		asked := false
		for _, r := range e.model.Requests() {
			asked = asked || strings.Contains(r.Prompt(), "« "+pdfName+" »")
		}
		if !asked {
			t.Errorf("the model was not asked about %s", pdfName)
		}
	})

	step("marked", func(t *testing.T) {
		c, done := wait(30 * time.Second)
		defer done()
		e.markedBanner(t, c)
		e.shot("banner-marked", shotMessage)
		// This mail to several people shows both « Répondre » and « Répondre
		// à tous »: Plume's button must still sit on the toolbar's first row.
		if b, err := e.actionButton(); err != nil {
			t.Error(err)
		} else if b.Top != b.FirstTop || b.Height != b.FirstHeight || b.Tooltip == "" {
			t.Errorf("Plume's button wrapped: at %.0f,%.0f (%.0f × %.0f px, label %q, tooltip %q), the toolbar's first row at %.0f",
				b.Left, b.Top, b.Width, b.Height, b.Label, b.Tooltip, b.FirstTop)
		} else {
			t.Logf("Plume's button on the first row: %.0f × %.0f px at %.0f,%.0f, tooltip %q", b.Width, b.Height, b.Left, b.Top, b.Tooltip)
		}
		if err := e.openAction(c); err != nil {
			t.Fatal(err)
		}
		// Before any click: the badge, the summary and the draft disabled, one sentence saying why.
		v, err := e.until(c, "the marking flagged in the panel", `
const d = popupReady();
const badge = d && d.querySelector("[data-role=current] [data-role=marking]");
if (!badge) return false;
const reason = d.querySelector("[data-role=block-reason]"), sum = d.querySelector("[data-action=summarize]"), draft = d.querySelector("[data-action=draft]");
return {badge: text(badge), reason: reason.hidden ? "" : text(reason), summarize: sum.disabled, draft: draft.disabled,
  described: sum.getAttribute("aria-describedby") === reason.id};
`)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Badge, Reason               string
			Summarize, Draft, Described bool
		}
		json.Unmarshal(v, &got)
		if got.Badge != "DIFFUSION RESTREINTE" || !got.Summarize || !got.Draft || !got.Described || !strings.Contains(got.Reason, "DIFFUSION RESTREINTE") {
			t.Errorf("marked message before any click: %+v", got)
		}
		e.shot("marked", shotPopup)
		for _, p := range []string{"/api/v1/thread/summary", "/api/v1/thread/reply"} {
			if e.called(p, "<"+restrictedID+">", "") {
				t.Errorf("%s was asked for the marked message", p)
			}
		}
	})

	step("restricted", func(t *testing.T) {
		attachment(t, restrictedID, 1, restrictedPDF, func(t *testing.T, card string) {
			// A refusal in plain French, the code only in the closed « Détails techniques ».
			if !strings.Contains(card, "DIFFUSION RESTREINTE") || strings.Contains(card, "refused_marking") || strings.Contains(card, "Code") {
				t.Errorf("refusal card: %q", oneLine(card))
			}
			v, err := e.js(`const a = popupReady().querySelector("[data-role=attachment-summary] .alert"); return a ? a.className + " " + a.dataset.code : "";`)
			if err != nil || !strings.Contains(string(v), "alert--refusal refused_marking") {
				t.Errorf("refusal card's alert: %s %v", v, err)
			}
			e.shot("refusal", shotPopup)
			if strings.Contains(card, "délibération approuve") {
				t.Errorf("the restricted note was summarised: %q", oneLine(card))
			}
		})
		for _, r := range e.model.Requests() {
			if strings.Contains(r.Prompt(), "visite ministérielle") || strings.Contains(r.Prompt(), "dispositif de sécurité") {
				t.Errorf("the DIFFUSION RESTREINTE note reached the model")
			}
		}
	})
	t.Logf("whole suite: %s", time.Since(began).Round(100*time.Millisecond))
}

// step runs one scenario of a suite as a subtest of t, timed, its artifacts
// saved when it fails; it reports whether it passed.
func (e *env) step(t *testing.T, name string, f func(t *testing.T)) bool {
	return t.Run(name, func(t *testing.T) {
		start := time.Now()
		parent := e.t
		e.t = t
		defer func() {
			if t.Failed() {
				e.saveArtifacts(t.Name())
			}
			e.t = parent
			t.Logf("%s: %s", name, time.Since(start).Round(100*time.Millisecond))
		}()
		f(t)
	})
}

// stepReady is a suite's first step: the inbox synchronised and the
// extension running with its token.
func (e *env) stepReady(t *testing.T, ctx context.Context) bool {
	return e.step(t, "ready", func(t *testing.T) {
		c, done := context.WithTimeout(ctx, 45*time.Second)
		defer done()
		if err := e.ready(c); err != nil {
			t.Fatal(err)
		}
	})
}

// markedBanner displays the DIFFUSION RESTREINTE note: its banner says the
// message is marked and offers no summary.
func (e *env) markedBanner(t *testing.T, c context.Context) {
	t.Helper()
	if err := e.display(c, restrictedID, 1); err != nil {
		t.Fatal(err)
	}
	b, err := e.banner(c, "refused", "ready", "summary", "error")
	if err != nil {
		t.Fatal(err)
	}
	if b.State != "refused" || b.Run || !strings.Contains(b.Text, "DIFFUSION RESTREINTE") {
		t.Errorf("banner on the marked message: %+v", b)
	}
}

// frenchUI reports whether Thunderbird's French language pack is installed
// (Debian thunderbird-l10n-fr); the profile asks for French.
func frenchUI() bool {
	_, err := os.Stat("/usr/lib/thunderbird/extensions/langpack-fr@thunderbird.mozilla.org.xpi")
	return err == nil
}

// count is how many requests on path naming messageID Plume received.
func (e *env) count(path, messageID string) int {
	n := 0
	for _, c := range e.rec.Calls() {
		if c.Path == path && c.MessageID == messageID {
			n++
		}
	}
	return n
}

// called reports whether Plume received a request on path naming messageID
// (when not "") and uploading fileName (when not "").
func (e *env) called(path, messageID, fileName string) bool {
	for _, c := range e.rec.Calls() {
		if c.Path == path && (messageID == "" || c.MessageID == messageID) && (fileName == "" || c.FileName == fileName) {
			return true
		}
	}
	return false
}
