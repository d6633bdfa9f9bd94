// The « Plume » banner in the displayed Thunderbird message: the background
// side (addin/thunderbird/src/banner.js) with the panel's real client and
// rules, the message display script (display/banner.js) run in a fake DOM,
// and the sign-in the background owns (auth.js).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";
import { createBanner, panelRules, CHECK, SUMMARY, SETTINGS_TTL } from "../../thunderbird/src/banner.js";
import { handleAuth, fromExtensionPage, TOKEN, SIGN_OUT } from "../../thunderbird/src/auth.js";
import { createThunderbirdHost, describeMessage, AUTH_TOKEN, AUTH_SIGN_OUT } from "../static/js/hosts/thunderbird.js";
import { createClient } from "../static/js/api.js";
import { blockedBy } from "../static/js/app.js";
import { summaryModel, summaryText } from "../static/js/views/summary.js";
import { describe } from "../static/js/problem.js";
import { t } from "../static/js/i18n.js";
import { fakeFetch, jsonResponse } from "./helpers.js";

const MARKED_CHECK = {
  markings: ["DIFFUSION RESTREINTE"],
  refused: { summary: { code: "refused_marking", marking: "DIFFUSION RESTREINTE" }, reply: { code: "refused_marking", marking: "DIFFUSION RESTREINTE" } },
};
const SUMMARY_ANSWER = {
  summary: { summary: "La commune sollicite une subvention <b>DETR</b>.", keyPoints: ["Pièces manquantes"], actionItems: [], participants: [] },
};
const displayedMsg = { id: 41, headerMessageId: "detr-7@ville.fr", subject: "DETR 2026" };
const messageTab = { tab: { id: 5, windowId: 1 }, url: "imap://agent@127.0.0.1:143/fetch%3EUID%3E/INBOX%3E7", id: "plume@test" };

/**
 * bannerWith wires createBanner as background.js does, on a fake messenger
 * and a fake server. opts: nothing (no message displayed), current () => the
 * displayed message (default displayedMsg), now () => ms.
 */
function bannerWith(respond, opts = {}) {
  const fetch = fakeFetch(respond);
  const shown = [];
  const onDisplayed = [];
  const m = {
    messageDisplay: {
      getDisplayedMessage: async (tabId) => (shown.push(tabId), opts.nothing ? null : opts.current ? opts.current() : displayedMsg),
      onMessagesDisplayed: { addListener: (fn) => onDisplayed.push(fn) },
    },
    storage: { local: { get: async () => ({ "plume.token": "tok-1" }) } },
  };
  const host = createThunderbirdHost({ messenger: m, loadConfig: async () => ({ default: { server: "https://plume.test" } }) });
  const ready = host.init().then(() => host);
  const banner = createBanner({
    messenger: m,
    host: () => ready,
    client: (h) => createClient({ base: h.apiBase, token: () => h.token(), fetch }),
    describeMessage,
    ...panelRules({ blockedBy, t, summaryModel, summaryText, describe }, () => new Date("2026-03-30T10:00:00Z")),
    now: opts.now,
  });
  // display(tab, message) fires messageDisplay.onMessagesDisplayed as Thunderbird (MV3) does.
  const display = (tabId, message) => onDisplayed.forEach((fn) => fn({ id: tabId }, { messages: [message] }));
  return { banner, fetch, shown, display };
}

const ME_AUTOMATIC = { user: "agent", features: { bannerSummary: "automatic" } };

/** server answers as Plume would: me, an unmarked check (or marked), the summary. */
function server({ me = ME_AUTOMATIC, marked = false, summary } = {}) {
  return (url, init) => {
    if (url.endsWith("/me")) return me instanceof Response ? me : jsonResponse(200, me);
    if (url.endsWith("/thread/check")) return jsonResponse(200, marked ? MARKED_CHECK : { markings: [], refused: {} });
    return summary ? summary(url, init) : jsonResponse(200, SUMMARY_ANSWER);
  };
}

const paths = (fetch) => fetch.calls.map((c) => new URL(c.url).pathname.replace("/api/v1", ""));

test("banner: an ordinary message is checked, then summarised as plain text through the API", async () => {
  const { banner, fetch, shown } = bannerWith((url) =>
    url.endsWith("/thread/check") ? jsonResponse(200, { markings: [], refused: {} }) : jsonResponse(200, SUMMARY_ANSWER),
  );
  assert.deepEqual(await banner.handle({ type: CHECK }, messageTab), { state: "ready" });
  const got = await banner.handle({ type: SUMMARY }, messageTab);
  assert.equal(got.state, "summary");
  assert.match(got.text, /^La commune sollicite une subvention <b>DETR<\/b>\./);
  assert.match(got.text, /Points clés :\n- Pièces manquantes/);
  // The message is the one displayed in the sender's tab (asked again
  // before answering), named by Message-ID, with the token; /me says
  // whether to summarise at once (here not).
  assert.deepEqual(shown, [5, 5, 5]);
  assert.deepEqual(
    fetch.calls.map((c) => c.url),
    ["https://plume.test/api/v1/thread/check", "https://plume.test/api/v1/me", "https://plume.test/api/v1/thread/summary"],
  );
  for (const c of fetch.calls.filter((c) => c.init.method === "POST")) {
    assert.deepEqual(JSON.parse(c.init.body).message, { source: "imap", messageId: "<detr-7@ville.fr>" });
    assert.equal(c.init.headers.Authorization, "Bearer tok-1");
  }
});

test("banner: a DIFFUSION RESTREINTE message says so and offers no summary", async () => {
  const { banner, fetch } = bannerWith(() => jsonResponse(200, MARKED_CHECK));
  const got = await banner.handle({ type: CHECK }, messageTab);
  assert.equal(got.state, "refused");
  assert.equal(got.text, "Mention « DIFFUSION RESTREINTE » : aucun modèle habilité n'est disponible, Plume ne peut pas traiter ce message.");
  assert.deepEqual(fetch.calls.map((c) => c.url), ["https://plume.test/api/v1/thread/check"]);
});

test("banner: a refusal by the server when summarising is a refusal, other failures an error", async () => {
  const refused = { code: "refused_marking", marking: "DIFFUSION RESTREINTE", message: { fr: "Message marqué DIFFUSION RESTREINTE." } };
  let { banner } = bannerWith(() => jsonResponse(403, refused, "application/problem+json"));
  assert.deepEqual(await banner.handle({ type: SUMMARY }, messageTab), { state: "refused", text: "Message marqué DIFFUSION RESTREINTE." });
  ({ banner } = bannerWith(() => jsonResponse(503, { code: "model_unavailable", message: { fr: "Le modèle ne répond pas." } }, "application/problem+json")));
  assert.deepEqual(await banner.handle({ type: SUMMARY }, messageTab), { state: "error", text: "Le modèle ne répond pas." });
});

test("banner: a failed check refuses nothing (the server still gates the summary)", async () => {
  const { banner } = bannerWith(() => jsonResponse(404, {}, "text/plain"));
  const got = await banner.handle({ type: CHECK }, messageTab);
  assert.equal(got.state, "ready");
  assert.equal(typeof got.warning, "string");
});

test("banner: no displayed message, no banner; not a banner request or not from a message tab, no answer", async () => {
  const { banner, fetch } = bannerWith(() => jsonResponse(200, {}), { nothing: true });
  assert.deepEqual(await banner.handle({ type: CHECK }, messageTab), { state: "none" });
  assert.equal(await banner.handle({ type: "other" }, messageTab), undefined);
  assert.equal(await banner.handle({ type: SUMMARY }, { id: "plume@test", url: "moz-extension://x/panel/thunderbird.html" }), undefined);
  assert.equal(fetch.calls.length, 0);
});

test("banner, automatic: the check says to summarise at once; one summary per message, /me asked once in a while", async () => {
  let clock = 0;
  const { banner, fetch } = bannerWith(server(), { now: () => clock });
  assert.deepEqual(await banner.handle({ type: CHECK }, messageTab), { state: "ready", auto: true });
  const got = await banner.handle({ type: SUMMARY }, messageTab);
  assert.equal(got.state, "summary");
  assert.match(got.text, /^La commune sollicite une subvention/);
  // Displayed again: checked again, but neither /me nor the summary asked twice.
  assert.deepEqual(await banner.handle({ type: CHECK }, messageTab), { state: "ready", auto: true });
  assert.deepEqual(await banner.handle({ type: SUMMARY }, messageTab), got);
  assert.deepEqual(paths(fetch), ["/thread/check", "/me", "/thread/summary", "/thread/check"]);
  // The organisation's choice is read again after SETTINGS_TTL.
  clock += SETTINGS_TTL;
  await banner.handle({ type: CHECK }, messageTab);
  assert.deepEqual(paths(fetch).slice(4), ["/thread/check", "/me"]);
});

test("banner, on request: /me on_request, silent or failing: no automatic summary", async () => {
  for (const me of [{ features: { bannerSummary: "on_request" } }, { features: {} }, jsonResponse(503, {}, "text/plain")]) {
    const { banner, fetch } = bannerWith(server({ me }));
    assert.deepEqual(await banner.handle({ type: CHECK }, messageTab), { state: "ready" });
    assert.deepEqual(paths(fetch), ["/thread/check", "/me"]);
  }
  // A failed /me is not kept: the next message asks again.
  let failing = true;
  const flaky = bannerWith((url, init) => (url.endsWith("/me") && failing ? jsonResponse(503, {}, "text/plain") : server()(url, init)));
  assert.deepEqual(await flaky.banner.handle({ type: CHECK }, messageTab), { state: "ready" });
  failing = false;
  assert.deepEqual(await flaky.banner.handle({ type: CHECK }, messageTab), { state: "ready", auto: true });
  assert.deepEqual(paths(flaky.fetch), ["/thread/check", "/me", "/thread/check", "/me"]);
});

test("banner, automatic: a marked message is refused before /me is asked, and never summarised", async () => {
  const { banner, fetch } = bannerWith(server({ marked: true }));
  const got = await banner.handle({ type: CHECK }, messageTab);
  assert.equal(got.state, "refused");
  assert.equal(got.auto, undefined);
  assert.deepEqual(paths(fetch), ["/thread/check"]);
});

/** pending answers summaries only when told, and fails as fetch does when its request is aborted. */
function pending() {
  const waiting = [];
  const respond = (url, init) =>
    new Promise((resolve, reject) => {
      waiting.push({ url, resolve: () => resolve(jsonResponse(200, SUMMARY_ANSWER)) });
      init.signal.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" })));
    });
  return { respond, waiting };
}

const until = async (cond) => {
  for (let i = 0; i < 50 && !cond(); i++) await tick();
  assert.ok(cond(), "condition never met");
};

test("banner: the displayed message changes while summarising: the request is aborted, nothing answered for it", async () => {
  const p = pending();
  let current = displayedMsg;
  const other = { id: 42, headerMessageId: "autre@ville.fr", subject: "Autre" };
  const { banner, fetch, display } = bannerWith(server({ summary: p.respond }), { current: () => current });
  const asked = banner.handle({ type: SUMMARY }, messageTab);
  await until(() => p.waiting.length === 1);
  const first = fetch.calls.at(-1);
  current = other;
  display(5, other);
  assert.equal(first.init.signal.aborted, true, "the request for the message no longer shown is aborted");
  assert.deepEqual(await asked, { state: "none" });
  // The new message's summary is its own request.
  const next = banner.handle({ type: SUMMARY }, messageTab);
  await until(() => p.waiting.length === 2);
  assert.deepEqual(JSON.parse(fetch.calls.at(-1).init.body).message, { source: "imap", messageId: "<autre@ville.fr>" });
  p.waiting[1].resolve();
  assert.equal((await next).state, "summary");
});

test("banner: an answer arriving after the message changed is not given; the summary is kept for that message", async () => {
  const p = pending();
  let current = displayedMsg;
  const { banner, fetch } = bannerWith(server({ summary: p.respond }), { current: () => current });
  // Two asks for the same message in the same tab share one request.
  const a = banner.handle({ type: SUMMARY }, messageTab);
  const b = banner.handle({ type: SUMMARY }, messageTab);
  await until(() => p.waiting.length === 1);
  await tick();
  assert.equal(p.waiting.length, 1, "one request for one message");
  current = { id: 43, headerMessageId: "x@y", subject: "Y" }; // no event: Thunderbird said nothing
  p.waiting[0].resolve();
  assert.deepEqual(await a, { state: "none" });
  assert.deepEqual(await b, { state: "none" });
  // Displayed again later: the summary made is shown, not asked again.
  current = displayedMsg;
  assert.equal((await banner.handle({ type: SUMMARY }, messageTab)).state, "summary");
  assert.equal(paths(fetch).filter((x) => x === "/thread/summary").length, 1);
});

// ---- the message display script, in a fake DOM ----

/** FakeNode is the little DOM display/banner.js uses; innerHTML throws: text only. */
class FakeNode {
  constructor(tag, doc) {
    this.tagName = tag.toUpperCase();
    this.ownerDocument = doc;
    this.children = [];
    this.attrs = {};
    this.listeners = {};
    this.hidden = false;
    this.disabled = false;
    this.parent = null;
    this.text = "";
  }
  setAttribute(k, v) {
    this.attrs[k] = String(v);
  }
  getAttribute(k) {
    return k in this.attrs ? this.attrs[k] : null;
  }
  set textContent(v) {
    this.children = [];
    this.text = String(v);
  }
  get textContent() {
    return this.text + this.children.map((c) => c.textContent).join("");
  }
  set innerHTML(_) {
    throw new Error("innerHTML used");
  }
  insertAdjacentHTML() {
    throw new Error("insertAdjacentHTML used");
  }
  append(...nodes) {
    for (const n of nodes) {
      n.parent = this;
      this.children.push(n);
    }
  }
  prepend(n) {
    n.parent = this;
    this.children.unshift(n);
  }
  remove() {
    if (this.parent) this.parent.children = this.parent.children.filter((c) => c !== this);
    this.parent = null;
  }
  addEventListener(type, fn) {
    (this.listeners[type] ||= []).push(fn);
  }
  click() {
    for (const fn of this.listeners.click || []) fn({ type: "click" });
  }
  find(pred) {
    if (pred(this)) return this;
    for (const c of this.children) {
      const f = c.find(pred);
      if (f) return f;
    }
    return null;
  }
}

const bannerSource = readFileSync(new URL("../../thunderbird/src/display/banner.js", import.meta.url), "utf8");

/** runBanner runs display/banner.js against a fake message document; answer(type) is the background's reply. */
function runBanner(answer) {
  const doc = { body: null, createElement: (tag) => new FakeNode(tag, doc) };
  doc.body = new FakeNode("body", doc);
  doc.body.append(new FakeNode("div", doc)); // the mail
  doc.getElementById = (id) => doc.body.find((n) => n.getAttribute("id") === id);
  const sent = [];
  const messenger = { runtime: { sendMessage: async (msg) => (sent.push(msg.type), answer(msg.type)) } };
  vm.runInNewContext(bannerSource, { messenger, document: doc, Object });
  const q = (attr, value) => doc.body.find((n) => n.getAttribute(attr) === value);
  return {
    doc,
    sent,
    root: () => doc.getElementById("plume-banner"),
    run: () => q("data-action", "banner-summarize"),
    text: () => q("data-role", "banner-text"),
    status: () => q("data-role", "banner-status"),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

test("banner script: at the top of the message, « Résumer » once checked, the summary set as text", async () => {
  const hostile = "Résumé <img src=x onerror=alert(1)> fin";
  const b = runBanner((type) => (type === CHECK ? { state: "ready" } : { state: "summary", text: hostile }));
  assert.equal(b.doc.body.children[0], b.root(), "the banner is the message's first element");
  assert.equal(b.root().getAttribute("data-state"), "checking");
  await tick();
  assert.deepEqual(b.sent, [CHECK]);
  assert.equal(b.root().getAttribute("data-state"), "ready");
  assert.equal(b.run().hidden, false);
  assert.equal(b.run().textContent, "Résumer");
  b.run().click();
  assert.equal(b.root().getAttribute("data-state"), "busy");
  assert.equal(b.run().disabled, true);
  await tick();
  assert.deepEqual(b.sent, [CHECK, SUMMARY]);
  assert.equal(b.root().getAttribute("data-state"), "summary");
  assert.equal(b.text().textContent, hostile);
  assert.equal(b.text().children.length, 0, "the summary stays text");
  assert.equal(b.text().hidden, false);
  assert.equal(b.run().hidden, true);
});

test("banner script, automatic: the summary is asked at once, and once", async () => {
  let b = runBanner((type) => (type === CHECK ? { state: "ready", auto: true } : { state: "summary", text: "Résumé." }));
  await tick();
  assert.deepEqual(b.sent, [CHECK, SUMMARY], "no click needed");
  assert.equal(b.root().getAttribute("data-state"), "summary");
  assert.equal(b.text().textContent, "Résumé.");
  assert.equal(b.run().hidden, true);

  // A failed automatic summary is not asked again by itself; « Résumer » retries.
  b = runBanner((type) => (type === CHECK ? { state: "ready", auto: true } : { state: "error", text: "Le modèle ne répond pas." }));
  await tick();
  await tick();
  assert.deepEqual(b.sent, [CHECK, SUMMARY]);
  assert.equal(b.root().getAttribute("data-state"), "error");
  assert.equal(b.run().hidden, false);
  b.run().click();
  b.run().click(); // busy: a second click asks nothing more
  await tick();
  assert.deepEqual(b.sent, [CHECK, SUMMARY, SUMMARY]);

  // Without auto (on request), nothing is asked until « Résumer ».
  b = runBanner((type) => (type === CHECK ? { state: "ready" } : { state: "summary", text: "Résumé." }));
  await tick();
  assert.deepEqual(b.sent, [CHECK]);
  assert.equal(b.root().getAttribute("data-state"), "ready");
});

test("banner script: on a marked message it says so, with no « Résumer »", async () => {
  const refusal = "Mention « DIFFUSION RESTREINTE » : aucun modèle habilité n'est disponible, Plume ne peut pas traiter ce message.";
  const b = runBanner(() => ({ state: "refused", text: refusal }));
  await tick();
  assert.equal(b.root().getAttribute("data-state"), "refused");
  assert.equal(b.run().hidden, true);
  assert.equal(b.text().textContent, refusal);
  assert.equal(b.status().textContent, "Pas de résumé pour ce message");
  assert.deepEqual(b.sent, [CHECK]);
});

test("banner script: collapsible; gone when nothing is displayed; an unanswered request is an error with a retry", async () => {
  let b = runBanner(() => ({ state: "refused", text: "Marqué." }));
  await tick();
  const toggle = b.root().find((n) => n.getAttribute("aria-expanded") !== null);
  toggle.click();
  assert.equal(toggle.getAttribute("aria-expanded"), "false");
  assert.equal(b.text().hidden, true);
  toggle.click();
  assert.equal(b.text().hidden, false);

  b = runBanner(() => ({ state: "none" }));
  await tick();
  assert.equal(b.root(), null);

  b = runBanner(() => Promise.reject(new Error("Could not establish connection. Receiving end does not exist.")));
  await tick();
  assert.equal(b.root().getAttribute("data-state"), "error");
  assert.equal(b.run().hidden, false);
});

// ---- the sign-in the background owns ----

const runtime = { id: "plume@test", getURL: (p) => "moz-extension://5f1d/" + p.replace(/^\//, "") };
const popup = { id: "plume@test", url: "moz-extension://5f1d/panel/thunderbird.html" };

test("auth: the popup and the background agree on the request names", () => {
  assert.equal(AUTH_TOKEN, TOKEN);
  assert.equal(AUTH_SIGN_OUT, SIGN_OUT);
});

test("auth: only the extension's own pages get a token, never a message display script", async () => {
  const host = { ownToken: async () => "access-1", auth: { signOut: async () => {} } };
  assert.equal(fromExtensionPage(popup, runtime), true);
  assert.deepEqual(await handleAuth({ type: TOKEN }, popup, host, runtime), { token: "access-1" });
  assert.equal(fromExtensionPage(messageTab, runtime), false);
  assert.equal(await handleAuth({ type: TOKEN }, messageTab, host, runtime), undefined);
  assert.equal(await handleAuth({ type: TOKEN }, { ...popup, id: "other@addon" }, host, runtime), undefined);
  assert.equal(await handleAuth({ type: CHECK }, popup, host, runtime), undefined);
});

test("auth: with OIDC the popup asks the background for the token and signs in nowhere itself", async () => {
  const asked = [];
  const identity = {
    getRedirectURL: () => "https://x.extensions.allizom.org/",
    launchWebAuthFlow: async () => {
      throw new Error("the popup must not sign in itself");
    },
  };
  const m = { identity, storage: { local: { get: async () => ({}) } } };
  const oidc = { issuer: "https://idp.test/realms/p", clientId: "plume", authorizationEndpoint: "https://idp.test/a", tokenEndpoint: "https://idp.test/t" };
  const host = createThunderbirdHost({ messenger: m, loadConfig: async () => ({ default: { oidc } }), broker: async (req) => (asked.push(req.type), req.type === AUTH_TOKEN ? { token: "from-background" } : { ok: true }) });
  await host.init();
  assert.equal(await host.token(), "from-background");
  assert.equal(await host.auth.signIn(), "from-background");
  await host.auth.signOut();
  assert.deepEqual(asked, [AUTH_TOKEN, AUTH_TOKEN, AUTH_SIGN_OUT]);

  // No background to answer: the popup signs in itself, as before.
  const own = createThunderbirdHost({
    messenger: { ...m, identity: { ...identity, launchWebAuthFlow: async () => { throw new Error("own sign-in"); } } },
    loadConfig: async () => ({ default: { oidc } }),
    broker: async () => {
      throw new Error("Could not establish connection. Receiving end does not exist.");
    },
    crypto: globalThis.crypto,
  });
  await own.init();
  await assert.rejects(own.token(), /own sign-in/);
});
