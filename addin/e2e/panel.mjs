// Browser end-to-end scenarios of the Plume panel, driven by playwright-core
// in Debian's Chromium. Started by panel_test.go with PLUME_E2E (JSON):
// {base, downBase, slowBase, artifacts, chromium, nodeModules, userDataDir, officeStub,
//  graph: {base, accessToken, itemId, restId, conversationId, internetMessageId,
//          subject, attachments, contents}} — graph is the Outlook item of the
// Outlook-on-Graph scenario and the server configured for Graph it talks to;
// slowBase is a server whose model waits before answering.
// Prints one JSON line with what was observed; exits 1 on the first failure.

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";

const cfg = JSON.parse(process.env.PLUME_E2E || "{}");
const require = createRequire(path.join(cfg.nodeModules, "noop.js"));
const { chromium } = require("playwright-core");

const observed = { timings: {} };

/** timed runs one scenario and records how long it took (ms), for the Go test's log. */
async function timed(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
  } finally {
    observed.timings[name] = Date.now() - t0;
  }
}
const shot = (page, name) => page.screenshot({ path: path.join(cfg.artifacts, name + ".png"), fullPage: true });

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function threads(base) {
  const res = await fetch(base + "/api/v1/threads?limit=20");
  check(res.ok, "GET /threads: " + res.status);
  return (await res.json()).threads;
}

/**
 * watch records the length of the text of selector (textContent, or value for
 * text areas) each time the panel writes it, in window[key]. It wraps the
 * element's own setter, so every streamed piece the panel renders is seen,
 * however fast the pieces arrive (sampling animation frames missed pieces
 * that arrived within one frame).
 */
async function watch(page, selector, key) {
  await page.evaluate(
    ([sel, k]) => {
      const el = document.querySelector(sel);
      if (!el) throw new Error("watch: no " + sel);
      const prop = el.tagName === "TEXTAREA" ? "value" : "textContent";
      let proto = Object.getPrototypeOf(el);
      while (proto && !Object.getOwnPropertyDescriptor(proto, prop)) proto = Object.getPrototypeOf(proto);
      const native = Object.getOwnPropertyDescriptor(proto, prop);
      const arr = (window[k] = []);
      Object.defineProperty(el, prop, {
        configurable: true,
        get() {
          return native.get.call(this);
        },
        set(v) {
          native.set.call(this, v);
          const n = native.get.call(this).length;
          if (!arr.length || arr[arr.length - 1] !== n) arr.push(n);
        },
      });
    },
    [selector, key],
  );
}

/** multipartField returns the value of the form field name in a multipart request body, or "". */
function multipartField(body, name) {
  const m = new RegExp('name="' + name + '"\\r\\n(?:[^\\r\\n]+\\r\\n)*\\r\\n([^\\r]*)\\r\\n').exec(body || "");
  return m ? m[1] : "";
}

/**
 * skipCheck makes POST /thread/check fail on page, as on a server without
 * it: the panel then enables everything, and these scenarios prove that the
 * server's gate refuses marked content by itself, whatever the panel shows.
 */
async function skipCheck(page) {
  await page.route("**/api/v1/thread/check", (route) => route.fulfill({ status: 404, contentType: "application/problem+json", body: '{"code":"not_found"}' }));
}

async function openBrowserPanel(ctx, base, opts = {}) {
  const page = await ctx.newPage();
  if (opts.skipCheck) await skipCheck(page);
  page.setDefaultTimeout(20000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + "/panel/index.html");
  await page.waitForSelector("#app[data-ready]");
  await page.waitForSelector("[data-role=picker] option:nth-child(2)", { state: "attached" });
  page.__errors = errors;
  return page;
}

/**
 * pick chooses a thread and waits until it can be summarised or, with
 * opts.flagged (a marked thread, pre-check on), until it is flagged: the
 * check may disable the button before an "enabled" wait could see it.
 */
async function pick(page, list, messageId, opts = {}) {
  const i = list.findIndex((t) => t.messageId === messageId);
  check(i >= 0, "thread not in picker: " + messageId);
  await page.selectOption("[data-role=picker]", String(i));
  if (opts.flagged) {
    await page.waitForSelector("[data-role=block-reason]:not([hidden])");
    return;
  }
  await page.waitForFunction(() => document.querySelector("[data-action=summarize]") && !document.querySelector("[data-action=summarize]").disabled);
}

/** outlookGraph runs the Outlook page with auth=sso on the Graph-configured server g.base. */
async function outlookGraph(ctx, g) {
  const got = (observed.graph = { apiCalls: [] });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (!u.pathname.startsWith("/api/v1/")) return;
    const h = r.headers();
    const type = h["content-type"] || "";
    // For an upload, body is its "message" field: the reference of the message carrying the file.
    const body = type.includes("json") ? r.postData() || "" : type.startsWith("multipart/") ? multipartField(r.postData(), "message") : "";
    got.apiCalls.push({ path: u.pathname, method: r.method(), authorization: h.authorization || "", contentType: type, body });
  });
  page.on("response", async (r) => {
    if (new URL(r.url()).pathname === "/api/v1/me" && r.ok()) got.sources = ((await r.json()).features || {}).sources || [];
  });
  const stub = readFileSync(cfg.officeStub, "utf8");
  await page.route("https://appsforoffice.microsoft.com/**", (route) => route.fulfill({ status: 200, contentType: "application/javascript", body: stub }));
  await page.addInitScript((item) => {
    window.__plumeItem = item;
  }, g);
  await page.goto(g.base + "/panel/outlook.html?auth=sso");
  await page.waitForSelector("#app[data-ready]");
  got.subject = await page.textContent("[data-role=current]");

  await watch(page, "[data-role=stream]", "__streamLens");
  await page.click("[data-action=summarize]");
  await page.waitForSelector("[data-role=summary-result] .summary-text, [data-role=summary-result] .alert");
  check(await page.isVisible("[data-role=summary-result] .summary-text"), "Graph summary failed: " + (await page.textContent("[data-role=summary-result]")));
  const lens = await page.evaluate(() => window.__streamLens);
  got.summaryStreamSteps = lens.length;
  got.summaryText = await page.textContent("[data-role=summary-result] .summary-text");
  got.summarySections = await page.$$eval("[data-role=summary-result] [data-section]", (els) => els.map((e) => e.dataset.section));
  await shot(page, "outlook-graph-summary-320");

  await page.click("[data-tab=reply]");
  await page.fill("textarea[name=instructions]", "Proposer un rendez-vous mardi.");
  await page.click("[data-action=draft]");
  await page.waitForSelector("[data-action=insert]:visible");
  await page.click("[data-action=insert]");
  await page.waitForFunction(() => window.__officeCalls.some((c) => c.fn === "displayReplyFormAsync"));
  await shot(page, "outlook-graph-reply-320");

  await page.click("[data-tab=attachments]");
  const att = g.attachments[0];
  check(att, "the Graph item has no attachment");
  await page.click(`[data-attachment="${att.id}"]`);
  await page.waitForSelector("[data-role=attachment-summary] .summary-text, [data-role=attachment-summary] .alert");
  got.attachmentSummary = await page.textContent("[data-role=attachment-summary]");
  check(await page.isVisible("[data-role=attachment-summary] .summary-text"), "Graph item attachment summary failed: " + got.attachmentSummary);
  await shot(page, "outlook-graph-attachment-320");
  got.officeCalls = await page.evaluate(() => window.__officeCalls);
  check(errors.length === 0, "Outlook (Graph) page errors: " + errors.join("; "));
  await page.close();
}

/**
 * outlookStale asks for a summary of message A, then moves the pinned pane to
 * B while the slow model has not answered; then a draft for B, moving to C.
 * It records what the panel shows after each move (nothing of the old answer
 * may appear, nothing may be insertable), which requests Chromium saw
 * aborted, and whether Insert goes to a message other than the one the draft
 * was written for when Outlook has switched items before telling the pane.
 */
async function outlookStale(ctx, plain) {
  const got = (observed.outlookStale = { aborted: [] });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("requestfailed", (r) => {
    const p = new URL(r.url()).pathname;
    if (p.startsWith("/api/v1/thread/")) got.aborted.push(p + " " + ((r.failure() || {}).errorText || ""));
  });
  const stub = readFileSync(cfg.officeStub, "utf8");
  await page.route("https://appsforoffice.microsoft.com/**", (route) => route.fulfill({ status: 200, contentType: "application/javascript", body: stub }));
  const item = (id, th) => ({ itemId: id, internetMessageId: th.messageId, subject: th.subject });
  const [a, b, c, d] = [plain[0], plain[1], plain[2], plain[plain.length > 3 ? 3 : 0]];
  await page.addInitScript((it) => {
    window.__plumeItem = it;
  }, item("ITEM-A", a));
  await page.goto(cfg.slowBase + "/panel/outlook.html");
  await page.waitForSelector("#app[data-ready]");

  // ended resolves when request r has finished or failed (aborted), plus a
  // moment to render; call it before the move, so that no event is missed.
  const ended = async (r) => {
    await Promise.race([
      page.waitForEvent("requestfinished", { predicate: (x) => x === r, timeout: 15000 }),
      page.waitForEvent("requestfailed", { predicate: (x) => x === r, timeout: 15000 }),
    ]).catch(() => {});
    await page.waitForTimeout(300);
  };
  const viewText = (sel) => page.evaluate((s) => Array.from(document.querySelector(s).querySelectorAll("[data-role], .status")).map((e) => (e.hidden ? "" : e.value || e.textContent)).join("").trim(), sel);

  // moveWhileWriting clicks action, waits until the server has read the mail and
  // asks the model (the stream's headers), then moves the pane to it.
  const moveWhileWriting = async (action, path, it) => {
    const answering = page.waitForResponse((r) => new URL(r.url()).pathname === path);
    await page.click(action);
    const end = ended((await answering).request());
    await page.evaluate((x) => window.__plumeSelect(x), it);
    await end;
  };

  // Summary asked for A; the agent moves to B before it is written.
  await moveWhileWriting("[data-action=summarize]", "/api/v1/thread/summary", item("ITEM-B", b));
  got.subjectAfterMove = await page.textContent("[data-role=current]");
  check(got.subjectAfterMove.includes(b.subject), "the pane does not show the new item: " + got.subjectAfterMove);
  got.summaryAfterMove = await viewText("[data-panel=summary]");
  // B's own summary still works.
  await page.click("[data-action=summarize]");
  await page.waitForSelector("[data-role=summary-result] .summary-text, [data-role=summary-result] .alert");
  got.summaryB = await page.textContent("[data-role=summary-result]");

  // Draft asked for B; the agent moves to C before it is written.
  await page.click("[data-tab=reply]");
  await moveWhileWriting("[data-action=draft]", "/api/v1/thread/reply", item("ITEM-C", c));
  got.draftAfterMove = await viewText("[data-panel=reply]");
  got.insertAfterMove = await page.isVisible("[data-action=insert]");
  await shot(page, "outlook-stale-320");

  // C's draft is ready; Outlook has switched to D but not yet told the pane: Insert must not reach D.
  await page.click("[data-action=draft]");
  await page.waitForSelector("[data-action=insert]:visible, [data-role=reply-result] .alert");
  got.draftC = await page.inputValue("[data-role=draft]");
  await page.evaluate((it) => window.__plumeSelect(it, { silent: true }), item("ITEM-D", d));
  await page.click("[data-action=insert]");
  await page
    .waitForFunction(() => document.querySelector("[data-role=reply-result] .alert") || window.__officeCalls.some((c) => /^displayReply/.test(c.fn)), null, { timeout: 5000 })
    .catch(() => {});
  got.switchedInsert = (await page.getAttribute("[data-role=reply-result] .alert", "data-code", { timeout: 1000 }).catch(() => "")) || "";
  got.officeCalls = await page.evaluate(() => window.__officeCalls.filter((c) => /^displayReply/.test(c.fn)));
  got.errors = errors;
  await page.close();
}

/**
 * audit is an in-page accessibility check standing in for axe-core's serious
 * and critical rules the panel could break: text contrast (WCAG AA: 4.5:1,
 * 3:1 for large text) against the effective background, an accessible name
 * for every control, tabs wired to their panels, one live region per status.
 * Returns the violations as strings.
 */
function audit() {
  const out = [];
  const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const bg = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden" && !el.closest("[hidden], .visually-hidden");
  };
  for (const el of document.querySelectorAll("body *")) {
    if (!visible(el)) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const cs = getComputedStyle(el);
    const fg = rgb(cs.color).slice(0, 3);
    const [l1, l2] = [lum(fg), lum(bg(el))].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(cs.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
    const disabled = el.closest(":disabled, [aria-disabled=true]");
    if (!disabled && ratio < (large ? 3 : 4.5)) out.push("contrast " + ratio.toFixed(2) + " " + el.tagName.toLowerCase() + "." + el.className + ": " + el.textContent.trim().slice(0, 40));
  }
  for (const el of document.querySelectorAll("button, select, textarea, input:not([type=hidden]), [role=tab]")) {
    const name = (el.getAttribute("aria-label") || (el.labels && [...el.labels].map((l) => l.textContent).join(" ")) || el.textContent || el.title || "").trim();
    if (!name) out.push("no accessible name: " + el.outerHTML.slice(0, 80));
  }
  for (const tab of document.querySelectorAll("[role=tab]")) {
    if (!document.getElementById(tab.getAttribute("aria-controls") || "")) out.push("tab without its panel: " + tab.dataset.tab);
  }
  if (!document.querySelector("[role=tablist]")) out.push("no tablist");
  return out;
}

/** inView says where el sits: below the sticky bar and above the fold, and whether it has the focus. */
async function placement(page, sel) {
  return page.evaluate((s) => {
    const el = document.querySelector(s);
    if (!el) return { missing: s };
    const r = el.getBoundingClientRect();
    const bar = document.querySelector("[data-role=bar]").getBoundingClientRect();
    const a = document.activeElement;
    return { top: Math.round(r.top), bottom: Math.round(r.bottom), barBottom: Math.round(bar.bottom), barTop: Math.round(bar.top), height: innerHeight, focused: a === el || el.contains(a), inView: r.top >= bar.bottom - 1 && r.top < innerHeight - 40 };
  }, sel);
}

async function layout(ctx, list, { summaryThread, replyThread, dr }) {
  const got = (observed.layout = { audits: {}, requests: [], dr: dr.messageId });
  for (const width of [400, 320]) {
    const page = await openBrowserPanel(ctx, cfg.base);
    await page.setViewportSize({ width, height: 600 });
    page.on("request", (r) => {
      const p = new URL(r.url()).pathname;
      if (p.startsWith("/api/v1/thread/")) got.requests.push(width + " " + p + " " + (r.postData() || "").slice(0, 200));
    });
    const me = await (await fetch(cfg.base + "/api/v1/me")).json();
    await pick(page, list, summaryThread.messageId);
    const tabs = await page.$$eval("[role=tab]", (els) => els.filter((e) => !e.hidden).map((e) => ({ tab: e.dataset.tab, top: Math.round(e.getBoundingClientRect().top), right: Math.round(e.getBoundingClientRect().right) })));
    got["tabs" + width] = { tabs, rows: new Set(tabs.map((t) => t.top)).size, overflow: tabs.some((t) => t.right > width), actionsTab: tabs.some((t) => t.tab === "actions"), meActions: (me.actions || []).length };

    await page.click("[data-action=summarize]");
    await page.waitForSelector("[data-role=summary-result] .summary-text");
    got["summary" + width] = await placement(page, "[data-role=summary-result]");
    got.clutter = await page.evaluate(() => document.querySelector("[data-panel=summary]").innerText);
    got.audits["summary" + width] = await page.evaluate(audit);
    await page.screenshot({ path: path.join(cfg.artifacts, "layout-summary-" + width + ".png") });
    await page.evaluate(() => window.scrollTo(0, 100000));
    got["barAfterScroll" + width] = await placement(page, "[data-role=bar]");

    await pick(page, list, replyThread.messageId);
    await page.click("[data-tab=reply]");
    await page.click("[data-action=draft]");
    await page.waitForSelector("[data-action=insert]:visible");
    got["draft" + width] = await placement(page, "[data-role=draft]");
    got["insert" + width] = await placement(page, "[data-action=insert]");
    got.audits["reply" + width] = await page.evaluate(audit);
    await page.screenshot({ path: path.join(cfg.artifacts, "layout-draft-" + width + ".png") });

    await page.click("[data-tab=attachments]");
    await page.setInputFiles("[data-role=dropzone] input[type=file]", { name: "note.txt", mimeType: "text/plain", buffer: Buffer.from("Note\n\nLa commission se réunit le 12 juin 2026.\n") });
    await page.waitForSelector("[data-role=attachment-summary] .summary-text, [data-role=attachment-summary] .alert");
    got["attachment" + width] = await placement(page, "[data-role=attachment-summary]");
    await page.screenshot({ path: path.join(cfg.artifacts, "layout-attachment-" + width + ".png") });

    // The marked thread: flagged before any request.
    await page.click("[data-tab=summary]");
    await pick(page, list, dr.messageId, { flagged: true });
    got["marked" + width] = await page.evaluate(() => ({
      badge: (document.querySelector("[data-role=current] [data-role=marking]") || {}).textContent || "",
      reason: document.querySelector("[data-role=block-reason]").textContent,
      summarize: document.querySelector("[data-action=summarize]").disabled,
      draft: document.querySelector("[data-action=draft]").disabled,
      attachments: [...document.querySelectorAll("[data-panel=attachments] [data-attachment]")].map((b) => b.disabled),
      described: document.querySelector("[data-action=summarize]").getAttribute("aria-describedby") === document.querySelector("[data-role=block-reason]").id,
    }));
    got.audits["marked" + width] = await page.evaluate(audit);
    await page.screenshot({ path: path.join(cfg.artifacts, "layout-marked-" + width + ".png") });
    await page.close();
  }

  // The refusal card, when the pre-check is not there: a warning, in view, no code in sight.
  const page = await openBrowserPanel(ctx, cfg.base, { skipCheck: true });
  await page.setViewportSize({ width: 400, height: 600 });
  await pick(page, list, dr.messageId);
  await page.click("[data-action=summarize]");
  await page.waitForSelector("[data-role=summary-result] .alert");
  got.refusal = await placement(page, "[data-role=summary-result]");
  got.refusal.className = await page.getAttribute("[data-role=summary-result] .alert", "class");
  got.refusal.text = await page.evaluate(() => document.querySelector("[data-role=summary-result]").innerText);
  got.audits.refusal = await page.evaluate(audit);
  await page.screenshot({ path: path.join(cfg.artifacts, "layout-refusal-400.png") });
  await page.close();
}

/**
 * recordBlobs makes page record the type and size of every Blob the panel
 * turns into an object URL (the downloaded courrier), in window.__blobs.
 */
async function recordBlobs(page) {
  await page.addInitScript(() => {
    const native = URL.createObjectURL;
    window.__blobs = [];
    URL.createObjectURL = (b) => {
      window.__blobs.push({ type: b.type, size: b.size });
      return native.call(URL, b);
    };
  });
}

/** downloadOf clicks selector and returns the download's name, first bytes (hex) and the Blob's media type. */
async function downloadOf(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const bytes = readFileSync(await dl.path());
  const blobs = await page.evaluate(() => window.__blobs);
  return { name: dl.suggestedFilename(), head: bytes.subarray(0, 4).toString("hex"), size: bytes.length, mediaType: (blobs[blobs.length - 1] || {}).type || "" };
}

/**
 * letterAndAsk: a question on the DETR thread (answered with its source, and
 * one the thread does not answer), a courrier drafted, streamed, previewed
 * and downloaded as ODT and DOCX; at 320 and 400 px, with screenshots and
 * the accessibility audit; then the marked thread: both disabled with the
 * reason before any click, and refused by the server when the pre-check is
 * bypassed.
 */
async function letterAndAsk(ctx, list, { summaryThread, dr }) {
  const got = (observed.letter = { audits: {} });
  for (const width of [320, 400]) {
    const page = await openBrowserPanel(ctx, cfg.base);
    await recordBlobs(page);
    await page.reload();
    await page.waitForSelector("#app[data-ready]");
    await page.waitForSelector("[data-role=picker] option:nth-child(2)", { state: "attached" });
    await page.setViewportSize({ width, height: 600 });
    await pick(page, list, summaryThread.messageId);

    await page.fill("input[name=question]", "Quand la délibération du conseil municipal a-t-elle été adoptée ?");
    await watch(page, "[data-role=ask-stream]", "__askLens");
    await page.click("[data-action=ask]");
    await page.waitForSelector("[data-role=ask-result] .answer, [data-role=ask-result] .alert");
    const ask = await page.evaluate(() => ({
      text: (document.querySelector("[data-role=ask-result] .answer") || document.querySelector("[data-role=ask-result]")).textContent,
      found: (document.querySelector("[data-role=ask-result] .answer") || { dataset: {} }).dataset.found || "",
      sources: [...document.querySelectorAll("[data-role=ask-sources] li")].map((li) => li.textContent),
      steps: window.__askLens.filter((n) => n > 0).length,
    }));
    ask.placement = await placement(page, "[data-role=ask-result]");
    got.audits["ask" + width] = await page.evaluate(audit);
    await page.screenshot({ path: path.join(cfg.artifacts, "letter-ask-" + width + ".png") });
    await page.fill("input[name=question]", "Quel est le nom du chien du maire ?");
    await page.click("[data-action=ask]");
    await page.waitForSelector("[data-role=ask-result] .answer[data-found=false], [data-role=ask-result] .answer[data-found=true]:not(:has-text('12 février')), [data-role=ask-result] .alert");
    ask.notFound = await page.evaluate(() => ({ text: document.querySelector("[data-role=ask-result]").innerText, found: (document.querySelector("[data-role=ask-result] .answer") || { dataset: {} }).dataset.found || "" }));
    got["ask" + width] = ask;

    await page.click("[data-tab=draft]");
    const tabs = await page.$$eval("[role=tab]", (els) => els.filter((e) => !e.hidden).map((e) => ({ tab: e.dataset.tab, top: Math.round(e.getBoundingClientRect().top), right: Math.round(e.getBoundingClientRect().right), cut: e.scrollWidth > e.clientWidth })));
    got["tabs" + width] = { rows: new Set(tabs.map((t) => t.top)).size, overflow: tabs.some((t) => t.right > width), cut: tabs.filter((t) => t.cut).map((t) => t.tab), names: tabs.map((t) => t.tab) };
    await page.selectOption("[data-panel=draft] select[name=kind]", "courrier");
    await page.fill("[data-panel=draft] input[name=to]", "Monsieur le Maire de Hangest-le-Petit");
    await page.fill("[data-panel=draft] textarea[name=instructions]", "Rappeler les pièces manquantes.");
    await watch(page, "[data-role=letter-stream]", "__letterLens");
    await page.click("[data-action=write-letter]");
    await page.waitForSelector("[data-role=letter-parts], [data-role=letter-result] .alert");
    const letter = await page.evaluate(() => ({
      parts: [...document.querySelectorAll("[data-role=letter-parts] dt")].map((dt) => dt.textContent + ": " + dt.nextElementSibling.textContent),
      alert: (document.querySelector("[data-role=letter-result] .alert") || {}).textContent || "",
      steps: window.__letterLens.filter((n) => n > 0).length,
      streamed: window.__letterLens.length,
      attach: !!document.querySelector("[data-action=attach-letter]"),
    }));
    letter.placement = await placement(page, "[data-role=letter-result]");
    got.audits["letter" + width] = await page.evaluate(audit);
    await page.screenshot({ path: path.join(cfg.artifacts, "letter-courrier-" + width + ".png") });
    letter.odt = await downloadOf(page, "[data-action=download-odt]");
    letter.docx = await downloadOf(page, "[data-action=download-docx]");
    letter.fileStatus = await page.textContent("[data-role=letter-file-status]");
    got["letter" + width] = letter;
    check(page.__errors.length === 0, "page errors: " + page.__errors.join("; "));
    await page.close();
  }

  // The marked thread: the courrier and the question disabled with the reason, before any request.
  const page = await openBrowserPanel(ctx, cfg.base);
  await page.setViewportSize({ width: 400, height: 600 });
  await pick(page, list, dr.messageId, { flagged: true });
  got.marked = await page.evaluate(() => {
    const reason = document.querySelector("[data-role=block-reason]");
    const state = (sel) => {
      const b = document.querySelector(sel);
      return { disabled: b.disabled, described: b.getAttribute("aria-describedby") === reason.id };
    };
    return { reason: reason.textContent, ask: state("[data-action=ask]"), write: state("[data-action=write-letter]") };
  });
  await page.click("[data-tab=draft]");
  await page.screenshot({ path: path.join(cfg.artifacts, "letter-marked-400.png") });
  got.audits.letterMarked = await page.evaluate(audit);
  await page.close();

  // The pre-check bypassed: the server's gate refuses both, shown as the refusal card.
  const bypass = await openBrowserPanel(ctx, cfg.base, { skipCheck: true });
  await pick(bypass, list, dr.messageId);
  await bypass.fill("input[name=question]", "Quel est le programme ?");
  await bypass.click("[data-action=ask]");
  await bypass.waitForSelector("[data-role=ask-result] .alert, [data-role=ask-result] .answer");
  got.askRefusal = (await bypass.getAttribute("[data-role=ask-result] .alert", "data-code").catch(() => "")) || "";
  await bypass.click("[data-tab=draft]");
  await bypass.click("[data-action=write-letter]");
  await bypass.waitForSelector("[data-role=letter-result] .alert, [data-role=letter-parts]");
  got.letterRefusal = (await bypass.getAttribute("[data-role=letter-result] .alert", "data-code").catch(() => "")) || "";
  got.letterRefusalText = await bypass.textContent("[data-role=letter-result]");
  await bypass.screenshot({ path: path.join(cfg.artifacts, "letter-refusal-320.png") });
  await bypass.close();
}

async function main() {
  const launched = Date.now();
  const ctx = await chromium.launchPersistentContext(cfg.userDataDir, {
    executablePath: cfg.chromium,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 320, height: 900 },
    locale: "fr-FR",
    acceptDownloads: true,
  });
  observed.timings.launch = Date.now() - launched;
  try {
    const list = await threads(cfg.base);
    const dr = list.find((t) => (t.markings || []).includes("DIFFUSION RESTREINTE"));
    const plain = list.filter((t) => !(t.markings || []).length);
    const withDoc = plain.find((t) => (t.attachments || []).some((a) => /\.(pdf|docx|odt)$/i.test(a.name)));
    check(dr && plain.length >= 3, "demo mailbox lacks the expected threads: " + JSON.stringify(list.map((t) => [t.subject, t.markings])));
    const summaryThread = plain.find((t) => /DETR/.test(t.subject)) || plain[0];
    const replyThread = plain.find((t) => t !== summaryThread);
    observed.threads = list.length;

    // 1. Plain browser: summarise a thread, text streamed as written.
    await timed("browserSummary", async () => {
      const page = await openBrowserPanel(ctx, cfg.base);
      await pick(page, list, summaryThread.messageId);
      await watch(page, "[data-role=stream]", "__streamLens");
      await page.click("[data-action=summarize]");
      await page.waitForSelector("[data-role=summary-result] .summary-text");
      const lens = await page.evaluate(() => window.__streamLens);
      check(lens.filter((n) => n > 0).length >= 2, "summary text did not stream: " + JSON.stringify(lens));
      observed.summaryStreamSteps = lens.length;
      observed.summaryText = await page.textContent("[data-role=summary-result] .summary-text");
      observed.summarySections = await page.$$eval("[data-role=summary-result] [data-section]", (els) => els.map((e) => e.dataset.section));
      observed.deadlines = await page.$$eval("[data-deadline]", (els) => els.map((e) => e.dataset.deadline));
      await shot(page, "browser-summary-320");
      check(page.__errors.length === 0, "page errors: " + page.__errors.join("; "));
      await page.close();
    });

    // 2. Plain browser: draft a reply, edit it, insert it.
    await timed("browserReply", async () => {
      const page = await openBrowserPanel(ctx, cfg.base);
      await pick(page, list, replyThread.messageId);
      await page.click("[data-tab=reply]");
      await page.selectOption("select[name=tone]", "cordial");
      await page.fill("textarea[name=instructions]", "Proposer un rendez-vous mardi.");
      await watch(page, "[data-role=draft]", "__draftLens");
      await page.click("[data-action=draft]");
      await page.waitForSelector("[data-action=insert]:visible");
      const lens = await page.evaluate(() => window.__draftLens);
      check(lens.filter((n) => n > 0).length >= 2, "draft did not stream: " + JSON.stringify(lens));
      const draft = await page.inputValue("[data-role=draft]");
      check(draft.trim().length > 20, "empty draft");
      await page.fill("[data-role=draft]", draft + "\n\nTexte ajouté par l'agent.");
      await page.click("[data-action=insert]");
      await page.waitForSelector("[data-role=reply-preview]");
      const preview = await page.textContent("[data-role=reply-preview] .preview__body");
      check(preview.includes("Texte ajouté par l'agent."), "edited draft not inserted");
      observed.replyStreamSteps = lens.length;
      observed.replyDraft = draft;
      await shot(page, "browser-reply-320");
      await page.close();
    });

    // 3. The DIFFUSION RESTREINTE thread is refused when no cleared model is configured
    //    (the panel's pre-check bypassed: the server's gate refuses by itself).
    await timed("refusal", async () => {
      const page = await openBrowserPanel(ctx, cfg.base, { skipCheck: true });
      await pick(page, list, dr.messageId);
      await page.click("[data-action=summarize]");
      await page.waitForSelector(".alert--refusal");
      observed.refusalCode = await page.getAttribute(".alert--refusal", "data-code");
      observed.refusalText = await page.textContent(".alert--refusal");
      check(await page.isVisible(".badge--marking"), "marking badge not shown");
      await shot(page, "browser-refusal-320");
      await page.close();
    });

    // 4. Degraded mode: the model is down, the offline engine answers, the panel says so.
    await timed("degraded", async () => {
      const downList = await threads(cfg.downBase);
      const page = await openBrowserPanel(ctx, cfg.downBase);
      await pick(page, downList, replyThread.messageId);
      await page.click("[data-action=summarize]");
      await page.waitForSelector("[data-role=summary-result] [data-notice=degraded], [data-role=summary-result] .alert");
      // Read both without waiting: only one of them is on the page, and a
      // waiting textContent on the absent one would sit out the 20 s timeout.
      [observed.degradedNotice, observed.degradedAlert] = await page.evaluate(() =>
        ["[data-notice=degraded]", ".alert"].map((s) => (document.querySelector("[data-role=summary-result] " + s) || {}).textContent || ""),
      );
      await shot(page, "browser-degraded-320");
      await page.close();
    });

    // 5. Attachments in the plain browser: by part path (the DIFFUSION RESTREINTE PDF is refused;
    //    a plain thread's document, when the picker lists one, is summarised), and by upload.
    await timed("browserAttachments", async () => {
      const page = await openBrowserPanel(ctx, cfg.base, { skipCheck: true });
      await pick(page, list, dr.messageId);
      await page.click("[data-tab=attachments]");
      const drDoc = dr.attachments[0];
      check(drDoc, "the DIFFUSION RESTREINTE thread lists no attachment");
      await page.click(`[data-attachment="${drDoc.messageId || dr.messageId}:${drDoc.partPath}"]`);
      await page.waitForSelector("[data-role=attachment-summary] .summary-text, [data-role=attachment-summary] .alert");
      observed.partPathRefusal = (await page.getAttribute("[data-role=attachment-summary] .alert", "data-code").catch(() => "")) || "";
      await shot(page, "browser-attachment-refusal-320");
      if (withDoc) {
        await pick(page, list, withDoc.messageId);
        const doc = withDoc.attachments.find((a) => /\.(pdf|docx|odt)$/i.test(a.name));
        await page.click(`[data-attachment="${doc.messageId || withDoc.messageId}:${doc.partPath}"]`);
        await page.waitForSelector("[data-role=attachment-summary] .summary-text, [data-role=attachment-summary] .alert");
        observed.partPathSummary = await page.textContent("[data-role=attachment-summary]");
        check(await page.isVisible("[data-role=attachment-summary] .summary-text"), "attachment summary failed: " + observed.partPathSummary);
      }
      // A chosen file names the open message: open an unmarked one (on the marked one it is refused, see 6b).
      await pick(page, list, summaryThread.messageId);
      await page.click("[data-tab=attachments]");
      const before = await page.$$eval("[data-role=attachment-summary]", (els) => els.length);
      await page.setInputFiles("[data-role=dropzone] input[type=file]", {
        name: "note-de-service.txt",
        mimeType: "text/plain",
        buffer: Buffer.from("Note de service\n\nLa réunion de la commission est fixée au 12 juin 2026 à 10 h en salle Jules Verne.\nLes services transmettront leurs contributions avant le 5 juin 2026.\n"),
      });
      await page.waitForFunction((n) => document.querySelectorAll("[data-role=attachment-summary]").length === n + 1, before);
      await page.waitForSelector("[data-role=attachment-summary]:first-child .summary-text, [data-role=attachment-summary]:first-child .alert");
      observed.uploadSummary = await page.textContent("[data-role=attachment-summary]:first-child");
      check(await page.isVisible("[data-role=attachment-summary]:first-child .summary-text"), "upload summary failed: " + observed.uploadSummary);
      await shot(page, "browser-attachments-320");
      await page.close();
    });

    // 6. Outlook task pane with a stub Office.js: summary, reply form, attachment upload, drag and drop.
    await timed("outlookImap", async () => {
      const page = await ctx.newPage();
      page.setDefaultTimeout(20000);
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      const stub = readFileSync(cfg.officeStub, "utf8");
      await page.route("https://appsforoffice.microsoft.com/**", (route) => route.fulfill({ status: 200, contentType: "application/javascript", body: stub }));
      const noteB64 = Buffer.from("Compte rendu\n\nLe dossier doit être complété avant le 30 juin 2026. Le maire transmettra le plan de financement.\n").toString("base64");
      await page.addInitScript(
        ([id, subject, b64]) => {
          window.__plumeItem = {
            internetMessageId: id,
            subject,
            attachments: [{ id: "att-1", name: "compte-rendu.txt", contentType: "text/plain", size: 120, attachmentType: "file", isInline: false }],
            contents: { "att-1": b64 },
          };
        },
        [replyThread.messageId, replyThread.subject, noteB64],
      );
      await page.goto(cfg.base + "/panel/outlook.html");
      await page.waitForSelector("#app[data-ready]");
      observed.outlookSubject = await page.textContent("[data-role=current]");
      check(observed.outlookSubject.includes(replyThread.subject), "Outlook item subject not shown");
      await page.click("[data-action=summarize]");
      await page.waitForSelector("[data-role=summary-result] .summary-text");
      await page.click("[data-tab=reply]");
      await page.click("[data-action=draft]");
      await page.waitForSelector("[data-action=insert]:visible");
      await page.click("[data-action=insert]");
      await page.waitForFunction(() => window.__officeCalls.some((c) => c.fn === "displayReplyFormAsync"));
      await page.click("[data-action=insert-all]");
      await page.waitForFunction(() => window.__officeCalls.some((c) => c.fn === "displayReplyAllFormAsync"));
      await shot(page, "outlook-reply-320");
      // The courrier, as DOCX, attached to a reply (displayReplyFormAsync with a base64 attachment).
      await page.click("[data-tab=draft]");
      await page.click("[data-action=write-letter]");
      await page.waitForSelector("[data-action=attach-letter]");
      await page.click("[data-action=attach-letter]");
      await page.waitForFunction(() => window.__officeCalls.some((c) => c.fn === "displayReplyFormAsync" && c.attachments));
      observed.outlookLetterStatus = await page.textContent("[data-role=letter-file-status]");
      await shot(page, "outlook-letter-320");
      await page.click("[data-tab=attachments]");
      await page.click('[data-attachment="att-1"]');
      await page.waitForSelector("[data-role=attachment-summary] .summary-text, [data-role=attachment-summary] .alert");
      observed.outlookAttachment = await page.textContent("[data-role=attachment-summary]");
      check(await page.isVisible("[data-role=attachment-summary] .summary-text"), "Outlook attachment upload failed: " + observed.outlookAttachment);
      // The document summary's light markdown is rendered: headings and lists, no raw "#".
      observed.outlookDocMarkdown = await page.$$eval("[data-role=attachment-summary] .summary-text > *", (els) => els.map((e) => e.tagName.toLowerCase() + ":" + e.textContent));
      await page.evaluate(() => {
        const blob = new Blob(["Arrêté\n\nLa fermeture administrative prend effet le 1er juillet 2026.\n"], { type: "text/plain" });
        window.__officeHandlers.olkDragAndDropEvent({ dragAndDropEventData: { type: "drop", dataTransfer: { files: [{ name: "arrete-glisse.txt", type: "text/plain", fileContent: blob }] } } });
      });
      await page.waitForFunction(() => document.querySelectorAll("[data-role=attachment-summary]").length === 2);
      await page.waitForSelector("[data-role=attachment-summary]:first-child .summary-text, [data-role=attachment-summary]:first-child .alert");
      observed.outlookDrop = await page.textContent("[data-role=attachment-summary]:first-child");
      await shot(page, "outlook-attachments-320");
      observed.officeCalls = await page.evaluate(() => window.__officeCalls);
      check(errors.length === 0, "Outlook page errors: " + errors.join("; "));
      await page.close();
    });

    // 6b. Outlook task pane on the DIFFUSION RESTREINTE message: its attachment carries no
    //     marking of its own, but the upload names the message, so the server applies the
    //     message's marking and refuses (no model is cleared); a file dropped on the pane too.
    await timed("outlookMarked", async () => {
      const got = (observed.outlookMarked = { uploads: [] });
      const page = await ctx.newPage();
      page.setDefaultTimeout(20000);
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("request", (r) => {
        if (new URL(r.url()).pathname !== "/api/v1/attachment/summary") return;
        got.uploads.push({ contentType: r.headers()["content-type"] || "", message: multipartField(r.postData(), "message") });
      });
      const stub = readFileSync(cfg.officeStub, "utf8");
      await page.route("https://appsforoffice.microsoft.com/**", (route) => route.fulfill({ status: 200, contentType: "application/javascript", body: stub }));
      await skipCheck(page);
      const programme = Buffer.from("Programme\n\n" + cfg.markedSecret + "\n").toString("base64");
      await page.addInitScript(
        ([id, subject, b64]) => {
          window.__plumeItem = {
            internetMessageId: id,
            subject,
            attachments: [{ id: "att-dr", name: "programme.txt", contentType: "text/plain", size: 80, attachmentType: "file", isInline: false }],
            contents: { "att-dr": b64 },
          };
        },
        [dr.messageId, dr.subject, programme],
      );
      await page.goto(cfg.base + "/panel/outlook.html");
      await page.waitForSelector("#app[data-ready]");
      await page.click("[data-tab=attachments]");
      await page.click('[data-attachment="att-dr"]');
      await page.waitForSelector("[data-role=attachment-summary] .summary-text, [data-role=attachment-summary] .alert");
      got.refusal = (await page.getAttribute("[data-role=attachment-summary] .alert", "data-code").catch(() => "")) || "";
      got.refusalText = await page.textContent("[data-role=attachment-summary]");
      await page.evaluate((secret) => {
        const blob = new Blob(["Note\n\n" + secret + "\n"], { type: "text/plain" });
        window.__officeHandlers.olkDragAndDropEvent({ dragAndDropEventData: { type: "drop", dataTransfer: { files: [{ name: "note-glissee.txt", type: "text/plain", fileContent: blob }] } } });
      }, cfg.markedSecret);
      await page.waitForFunction(() => document.querySelectorAll("[data-role=attachment-summary]").length === 2);
      await page.waitForSelector("[data-role=attachment-summary]:first-child .summary-text, [data-role=attachment-summary]:first-child .alert");
      got.dropRefusal = (await page.getAttribute("[data-role=attachment-summary]:first-child .alert", "data-code").catch(() => "")) || "";
      await shot(page, "outlook-marked-attachment-320");
      check(errors.length === 0, "Outlook (marked) page errors: " + errors.join("; "));
      await page.close();
    });

    // 6a. Outlook task pane on the DIFFUSION RESTREINTE message, pre-check on: flagged before any click.
    await timed("outlookFlagged", async () => {
      const got = (observed.outlookFlagged = {});
      const page = await ctx.newPage();
      page.setDefaultTimeout(20000);
      const stub = readFileSync(cfg.officeStub, "utf8");
      await page.route("https://appsforoffice.microsoft.com/**", (route) => route.fulfill({ status: 200, contentType: "application/javascript", body: stub }));
      await page.addInitScript(([id, subject]) => {
        window.__plumeItem = { internetMessageId: id, subject, attachments: [] };
      }, [dr.messageId, dr.subject]);
      await page.goto(cfg.base + "/panel/outlook.html");
      await page.waitForSelector("[data-role=block-reason]:not([hidden])");
      Object.assign(got, await page.evaluate(() => ({
        badge: (document.querySelector("[data-role=current] [data-role=marking]") || {}).textContent || "",
        summarize: document.querySelector("[data-action=summarize]").disabled,
        draft: document.querySelector("[data-action=draft]").disabled,
      })));
      await page.close();
    });

    // 8. At 400 × 600 (the Thunderbird popup's size): one row of tabs, the bar
    //    sticky, each result in view and focused when it arrives, the marked
    //    thread flagged before any request, the refusal a warning, contrast and names.
    await timed("layout", () => layout(ctx, list, { summaryThread, replyThread, dr }));

    // 9. « Demander » and « Courrier / Note »: a question answered with its source, a
    //    courrier streamed, previewed and downloaded (ODT, DOCX), at 320 and 400 px;
    //    disabled on the marked thread, refused by the server when the pre-check is bypassed.
    await timed("letterAndAsk", () => letterAndAsk(ctx, list, { summaryThread, dr }));

    // 6c. Pinned Outlook pane, slow model (cfg.slowBase): a summary and a draft asked
    //     for one message are still being written when the agent moves to another.
    if (cfg.slowBase) await timed("outlookStale", () => outlookStale(ctx, plain));

    // 7. Outlook task pane against the server configured for Microsoft Graph (no IMAP):
    //    Office SSO token, Graph references from convertToRestId and conversationId,
    //    summary, reply form, attachment upload.
    if (cfg.graph) await timed("outlookGraph", () => outlookGraph(ctx, cfg.graph));
  } finally {
    await ctx.close();
  }
  process.stdout.write(JSON.stringify(observed) + "\n");
}

main().catch((err) => {
  process.stderr.write("e2e failure: " + (err && err.stack ? err.stack : String(err)) + "\n");
  process.stdout.write(JSON.stringify(observed) + "\n");
  process.exit(1);
});
