package thunderbird

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// lib is prepended to every chrome script: where things are in Thunderbird.
//
// The popup runs in the parent process (pref extensions.webextensions.remote
// false) so its DOM is reachable from chrome. In that mode Thunderbird's popup
// code waits for a "load" event of the popup <browser> that a browser created
// with nodefaultsrc never fires; popupReady dispatches it once (the default,
// out-of-process mode has no such wait).
const lib = `
const GECKO = %q, WIDGET = %q;
function win() { return Services.wm.getMostRecentWindow("mail:3pane"); }
function about3() { return win().gTabmail.currentAbout3Pane; }
function aboutMessage() { return about3().messageBrowser.contentWindow; }
function inbox() {
  const a = MailServices.accounts.accounts[0];
  return a && a.incomingServer.rootFolder.getFolderWithFlags(Ci.nsMsgFolderFlags.Inbox);
}
function popupBrowser() { return win().document.querySelector("browser.webextension-popup-browser"); }
function popupReady() {
  const b = popupBrowser();
  if (!b) return null;
  if (b.currentURI.spec === "about:blank") {
    if (!b.plumeNudged) { b.plumeNudged = true; b.dispatchEvent(new (win().Event)("load")); }
    return null;
  }
  const d = b.contentDocument, app = d && d.getElementById("app");
  return app && app.getAttribute("data-ready") === "true" ? d : null;
}
function messagePane() { return aboutMessage().document.getElementById("messagepane"); }
function text(el) { return el ? (el.innerText || el.textContent || "").trim() : ""; }
`

// widgetID is how Thunderbird names an add-on in element ids.
func widgetID(geckoID string) string {
	return regexp.MustCompile(`[^A-Za-z0-9_-]`).ReplaceAllString(geckoID, "_")
}

// js runs a synchronous chrome script with lib in scope.
func (e *env) js(src string, args ...any) (json.RawMessage, error) {
	return e.tb.m.script(false, e.lib()+src, args, 10*time.Second)
}

// jsAsync runs an asynchronous chrome script (the callback is the last argument).
func (e *env) jsAsync(src string, args ...any) (json.RawMessage, error) {
	return e.tb.m.script(true, e.lib()+src, args, 20*time.Second)
}

// until polls a synchronous chrome script until it returns a truthy value.
func (e *env) until(ctx context.Context, what, src string, args ...any) (json.RawMessage, error) {
	return e.tb.m.waitFor(ctx, what, e.lib()+src, args)
}

func (e *env) lib() string { return fmt.Sprintf(lib, e.geckoID, widgetID(e.geckoID)) }

// ready waits for the account's inbox to hold the suite's messages and for
// the extension to run, then stores the API token in its storage.local.
func (e *env) ready(ctx context.Context) error {
	if _, err := e.until(ctx, "the inbox and the extension", `
const f = inbox(), p = WebExtensionPolicy.getByID(GECKO);
if (!f || !p || !p.extension || !win() || !win().gTabmail) return false;
const db = f.msgDatabase;
return !!(db && db.getMsgHdrForMessageID(arguments[0]) && db.getMsgHdrForMessageID(arguments[1]));
`, latestID, restrictedID); err != nil {
		return err
	}
	_, err := e.jsAsync(`
const done = arguments[arguments.length - 1];
const {ExtensionStorageIDB} = ChromeUtils.importESModule("resource://gre/modules/ExtensionStorageIDB.sys.mjs");
const ext = WebExtensionPolicy.getByID(GECKO).extension;
ExtensionStorageIDB.open(ExtensionStorageIDB.getStoragePrincipal(ext))
  .then(db => db.set({"plume.token": arguments[0]}))
  .then(() => done(true), e => done("storage: " + e));
`, token)
	return err
}

// display shows the inbox message messageID in the 3-pane tab's message pane
// and waits until it and its attachments are displayed.
func (e *env) display(ctx context.Context, messageID string, attachments int) error {
	if _, err := e.js(`
const f = inbox(), a3 = about3();
if (a3.gFolder !== f) a3.displayFolder(f.URI);
const hdr = f.msgDatabase.getMsgHdrForMessageID(arguments[0]);
a3.threadTree.selectedIndex = a3.gDBView.findIndexOfMsgHdr(hdr, true);
return true;
`, messageID); err != nil {
		return err
	}
	_, err := e.until(ctx, "message "+messageID+" displayed", `
const am = aboutMessage();
if (!am.gMessage || am.gMessage.messageId !== arguments[0]) return false;
return am.document.querySelectorAll("#attachmentList .attachmentItem").length >= arguments[1];
`, messageID, attachments)
	return err
}

// closePopup hides Plume's popup, if open, and waits until it is gone.
func (e *env) closePopup(ctx context.Context) error {
	_, err := e.until(ctx, "the popup to close", `
const p = win().document.querySelector("panel.webextension-popup-panel");
if (p && p.state !== "closed") p.hidePopup();
return !popupBrowser();
`)
	return err
}

// openAction clicks Plume's message display action and waits for the panel.
func (e *env) openAction(ctx context.Context) error {
	if err := e.closePopup(ctx); err != nil {
		return err
	}
	if _, err := e.until(ctx, "Plume's button in the message header", `
const b = aboutMessage().document.getElementById(WIDGET + "-messageDisplayAction-toolbarbutton");
if (!b || b.hidden || b.disabled) return false;
b.click();
return true;
`); err != nil {
		return err
	}
	_, err := e.until(ctx, "the panel to be ready", `return !!popupReady();`)
	return err
}

// buttonBox is where Plume's button sits in the message header toolbar,
// against the toolbar's first visible button.
type buttonBox struct {
	Top, Left, Width, Height float64
	FirstTop, FirstHeight    float64
	Label, Tooltip           string
}

// actionButton measures Plume's message display action button.
func (e *env) actionButton() (buttonBox, error) {
	var b buttonBox
	v, err := e.js(`
const d = aboutMessage().document, b = d.getElementById(WIDGET + "-messageDisplayAction-toolbarbutton");
const first = [...b.parentElement.children].find(el => el.getBoundingClientRect().width > 0);
const r = b.getBoundingClientRect(), f = first.getBoundingClientRect();
return {top: r.top, left: r.left, width: r.width, height: r.height, firstTop: f.top, firstHeight: f.height,
  label: b.label || "", tooltip: b.getAttribute("tooltiptext") || ""};
`)
	if err != nil {
		return b, err
	}
	err = json.Unmarshal(v, &b)
	return b, err
}

// bannerState is what the « Plume » banner of the displayed message shows.
type bannerState struct {
	State, Status, Text string
	Run                 bool // the « Résumer » button is shown and enabled
	Elements            int  // elements inside the summary text (text only: 0)
}

// banner waits for the banner of the displayed message to reach one of
// states, and returns it.
func (e *env) banner(ctx context.Context, states ...string) (bannerState, error) {
	var b bannerState
	v, err := e.until(ctx, "the Plume banner in state "+strings.Join(states, " or "), `
const doc = messagePane().contentDocument, el = doc && doc.getElementById("plume-banner");
if (!el || !arguments[0].includes(el.dataset.state)) return false;
const run = el.querySelector("[data-action=banner-summarize]"), body = el.querySelector("[data-role=banner-text]");
return {state: el.dataset.state, status: text(el.querySelector("[data-role=banner-status]")), text: body.textContent.trim(),
  run: !run.hidden && !run.disabled, elements: body.children.length};
`, states)
	if err != nil {
		return b, err
	}
	err = json.Unmarshal(v, &b)
	return b, err
}

// bannerSummarize clicks the banner's « Résumer ».
func (e *env) bannerSummarize() error {
	_, err := e.js(`messagePane().contentDocument.querySelector("#plume-banner [data-action=banner-summarize]").click(); return true;`)
	return err
}

// openOn displays messageID (with its attachments listed) and opens Plume's panel on it.
func (e *env) openOn(ctx context.Context, messageID string, attachments int) error {
	if err := e.display(ctx, messageID, attachments); err != nil {
		return err
	}
	return e.openAction(ctx)
}

// attachmentMenu right-clicks the attachment name in the message pane and
// chooses Plume's entry; it returns the entry's label.
func (e *env) attachmentMenu(ctx context.Context, name string) (string, error) {
	if err := e.closePopup(ctx); err != nil {
		return "", err
	}
	if _, err := e.js(`
const am = aboutMessage(), list = am.document.getElementById("attachmentList");
const item = [...list.querySelectorAll(".attachmentItem")].find(i => i.attachment.name === arguments[0]);
list.selectedItem = item;
const r = item.getBoundingClientRect();
item.dispatchEvent(new am.MouseEvent("contextmenu", {bubbles: true, cancelable: true, button: 2, clientX: r.left + 4, clientY: r.top + 4}));
return true;
`, name); err != nil {
		return "", err
	}
	v, err := e.until(ctx, "Plume's entry in the attachment menu", `
const popup = aboutMessage().document.getElementById("attachmentItemContext");
if (popup.state !== "open") return false;
const mine = [...popup.querySelectorAll("menuitem")].find(m => m.id.startsWith(WIDGET + "-menuitem-"));
if (!mine) return false;
const label = mine.label;
popup.activateItem(mine);
return label;
`)
	if err != nil {
		return "", err
	}
	var label string
	err = json.Unmarshal(v, &label)
	return label, err
}

// attachmentCard waits for the panel's card of the attachment name to hold
// a result or a problem, and returns its text.
func (e *env) attachmentCard(ctx context.Context, name string) (string, error) {
	v, err := e.until(ctx, "the summary card of "+name, `
const d = popupReady();
if (!d) return false;
const card = [...d.querySelectorAll("[data-role=attachment-summary]")].find(c => text(c.querySelector("h3")) === arguments[0]);
if (!card || !text(card.lastElementChild)) return false;
return text(card);
`, name)
	if err != nil {
		return "", err
	}
	var s string
	err = json.Unmarshal(v, &s)
	return s, err
}

// What shot draws.
const (
	shotPopup   = "popup"   // Plume's panel
	shotCompose = "compose" // the compose window's editor
	shotMessage = "message" // the displayed message, with the banner
)

// shot writes a PNG of what (shotPopup, shotCompose, shotMessage) as it is
// on screen to e.artifacts/thunderbird-name.png.
func (e *env) shot(name, what string) {
	v, err := e.jsAsync(`
const done = arguments[arguments.length - 1];
const b = arguments[0] === "compose" ? Services.wm.getMostRecentWindow("msgcompose").document.getElementById("messageEditor")
  : arguments[0] === "message" ? messagePane() : popupBrowser();
if (!b) { done("no window to shoot"); return; }
const wg = b.browsingContext.currentWindowGlobal, r = b.getBoundingClientRect();
wg.drawSnapshot(null, 1, "white").then(bmp => {
  const c = win().document.createElementNS("http://www.w3.org/1999/xhtml", "canvas");
  c.width = bmp.width; c.height = bmp.height;
  c.getContext("2d").drawImage(bmp, 0, 0);
  done(c.toDataURL("image/png"));
}, e => done("snapshot: " + e));
`, what)
	if err != nil {
		e.t.Logf("screenshot %s: %v", name, err)
		return
	}
	var url string
	if json.Unmarshal(v, &url) != nil || !strings.HasPrefix(url, "data:image/png;base64,") {
		e.t.Logf("screenshot %s: %s", name, v)
		return
	}
	png, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(url, "data:image/png;base64,"))
	if err != nil {
		return
	}
	p := filepath.Join(e.artifacts, "thunderbird-"+name+".png")
	if os.WriteFile(p, png, 0o644) == nil {
		e.t.Logf("screenshot: %s", p)
	}
}

// saveArtifacts writes a screenshot of the main window and DOM dumps of the
// panel, the message pane and the compose window to e.artifacts.
func (e *env) saveArtifacts(name string) {
	name = regexp.MustCompile(`[^A-Za-z0-9_-]+`).ReplaceAllString(name, "_")
	if res, err := e.tb.m.call("WebDriver:TakeScreenshot", map[string]any{"full": true}, 20*time.Second); err == nil {
		var v struct{ Value string }
		if json.Unmarshal(res, &v) == nil {
			if png, err := base64.StdEncoding.DecodeString(v.Value); err == nil {
				p := filepath.Join(e.artifacts, name+".png")
				if os.WriteFile(p, png, 0o644) == nil {
					e.t.Logf("screenshot: %s", p)
				}
			}
		}
	} else {
		e.t.Logf("screenshot: %v", err)
	}
	v, err := e.js(`
const out = {};
try { const b = popupBrowser(); out.panel = b ? b.currentURI.spec + "\n" + (b.contentDocument ? b.contentDocument.documentElement.outerHTML : "") : "(no popup)"; } catch (e) { out.panel = String(e); }
try { out.message = aboutMessage().document.documentElement.outerHTML; } catch (e) { out.message = String(e); }
try { const ws = []; for (const w of Services.wm.getEnumerator(null)) ws.push(w.document.documentElement.getAttribute("windowtype") + " " + w.location.href + " " + (w.gBrowser || w.document.querySelector("browser") ? (w.document.querySelector("browser") || {}).currentURI?.spec : "")); out.windows = ws.join("\n"); } catch (e) { out.windows = String(e); }
try { const c = Services.wm.getMostRecentWindow("msgcompose"); out.compose = c ? c.document.getElementById("messageEditor").contentDocument.documentElement.outerHTML : "(no compose window)"; } catch (e) { out.compose = String(e); }
return out;
`)
	if err != nil {
		e.t.Logf("DOM dump: %v", err)
		return
	}
	var dumps map[string]string
	if json.Unmarshal(v, &dumps) != nil {
		return
	}
	for k, html := range dumps {
		p := filepath.Join(e.artifacts, name+"-"+k+".html")
		if os.WriteFile(p, []byte(html), 0o644) == nil {
			e.t.Logf("DOM dump: %s", p)
		}
	}
}

// oneLine shortens s for messages.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 400 {
		s = s[:400] + "…"
	}
	return s
}
