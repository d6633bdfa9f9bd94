// The background side of the « Plume » banner shown at the top of each
// displayed message (display/banner.js, a message display script). The
// banner only asks; this module answers with the panel's own API client,
// host and rules, and returns plain text: nothing the server sends becomes
// HTML in the message.
//
// The message is always the one displayed in the sender's tab
// (messageDisplay.getDisplayedMessage(sender.tab.id)), never one the
// content script names.
//
// When the organisation turns it on (panel.banner_summary: automatic, read
// in GET /me as features.bannerSummary), the check's answer tells the
// banner to ask for the summary at once; never on a marked message (the
// check comes first), at most one request per message (a summary is kept
// and shared), and a request for a message no longer displayed in its tab
// is aborted and answered with nothing.

/** CHECK asks whether the displayed message may be summarised (POST /thread/check). */
export const CHECK = "plume.banner.check";

/** SUMMARY asks for the displayed message's thread summary, as text. */
export const SUMMARY = "plume.banner.summary";

/** AUTOMATIC is features.bannerSummary's value that summarises on display. */
export const AUTOMATIC = "automatic";

/** SETTINGS_TTL is how long /me's answer is trusted, in ms: a change of panel.banner_summary shows within it. */
export const SETTINGS_TTL = 5 * 60 * 1000;

/** KEPT is how many summaries the background keeps, so a message displayed again is not summarised again. */
export const KEPT = 50;

const NONE = Object.freeze({ state: "none" });

/**
 * createBanner returns the handler of the banner's requests.
 * deps: {
 *   messenger,
 *   host: async () => the panel's Thunderbird host, initialised (hosts/thunderbird.js),
 *   client: (host) => the panel's API client for that host (api.js createClient),
 *   describeMessage: hosts/thunderbird.js describeMessage,
 *   refusal: (check) => the sentence saying why the summary is refused, or "" (from app.js blockedBy),
 *   summaryText: (answer) => the summary as plain text (views/summary.js),
 *   problemText: (err) => the sentence saying what went wrong (problem.js describe),
 *   now: () => ms (Date.now; tests pass a clock),
 * }
 * handle(msg, sender) resolves to the banner's next state:
 * {state: "ready", auto?: true} (auto: summarise now, the organisation asks it) |
 * {state: "refused", text} | {state: "summary", text} | {state: "error", text} |
 * {state: "none"} (nothing displayed, or no longer this message: no banner), or
 * undefined for a message that is not the banner's.
 */
export function createBanner(deps) {
  const m = deps.messenger;
  const now = deps.now || (() => Date.now());

  function single(r) {
    const list = Array.isArray(r) ? r : (r && r.messages) || [];
    return list.length === 1 ? list[0] : null;
  }

  async function shownIn(tabId) {
    if (typeof m.messageDisplay.getDisplayedMessage === "function") {
      return (await m.messageDisplay.getDisplayedMessage(tabId)) || null;
    }
    return single(await m.messageDisplay.getDisplayedMessages(tabId));
  }

  async function displayed(sender) {
    const tabId = sender && sender.tab && sender.tab.id;
    if (tabId === undefined || tabId === null) return null;
    return shownIn(tabId);
  }

  async function request(msg) {
    const host = await deps.host();
    const ref = await host.messageRef(deps.describeMessage(msg, []));
    return { api: deps.client(host), ref, host };
  }

  // settings: whether the organisation asks for automatic summaries
  // (GET /me, features.bannerSummary), kept SETTINGS_TTL for the same host.
  let settings = null;
  async function automatic(r) {
    if (settings && settings.host === r.host && now() - settings.at < SETTINGS_TTL) return settings.automatic;
    let me;
    try {
      me = await r.api.me();
    } catch {
      return false; // not kept: asked again on the next message
    }
    const auto = !!(me && me.features && me.features.bannerSummary === AUTOMATIC);
    settings = { host: r.host, at: now(), automatic: auto };
    return auto;
  }

  async function check(sender) {
    const msg = await displayed(sender);
    if (!msg) return NONE;
    const r = await request(msg);
    let res;
    try {
      res = await r.api.check(r.ref);
    } catch (err) {
      // An older server or a failed check refuses nothing: the summary is
      // still gated by the server when asked, on « Résumer » only.
      return { state: "ready", warning: deps.problemText(err) };
    }
    const text = deps.refusal(res);
    if (text) return { state: "refused", text };
    // The markings first: a marked message never learns it could be automatic.
    return (await automatic(r)) ? { state: "ready", auto: true } : { state: "ready" };
  }

  // kept: the summaries made, by message, newest last (at most KEPT).
  const kept = new Map();
  function keep(key, answer) {
    kept.delete(key);
    kept.set(key, answer);
    while (kept.size > KEPT) kept.delete(kept.keys().next().value);
  }

  // running: the summary being made for each tab: {key, message id, abort, done}.
  const running = new Map();
  function stop(tabId, shown) {
    const run = running.get(tabId);
    if (run && (!shown || shown.id !== run.id)) {
      running.delete(tabId);
      run.abort.abort();
    }
  }
  // The displayed message changed, or the tab closed: its request stops.
  if (m.messageDisplay.onMessagesDisplayed) {
    m.messageDisplay.onMessagesDisplayed.addListener((tab, shown) => tab && stop(tab.id, single(shown)));
  }
  if (m.tabs && m.tabs.onRemoved) m.tabs.onRemoved.addListener((tabId) => stop(tabId, null));

  async function summarise(r, signal) {
    try {
      const answer = await r.api.summary(r.ref, { language: "fr", length: "short" }, { signal });
      return { state: "summary", text: deps.summaryText(answer) };
    } catch (err) {
      if (signal.aborted) return NONE;
      // The server gates every request: a marking the pre-check missed is refused here.
      const text = deps.problemText(err);
      return err && /^refused_/.test(err.code || "") ? { state: "refused", text } : { state: "error", text };
    }
  }

  async function summary(sender) {
    const tabId = sender.tab.id;
    const msg = await displayed(sender);
    if (!msg) return NONE;
    const r = await request(msg);
    const key = String(msg.id) + "\n" + r.host.apiBase;
    if (kept.has(key)) return kept.get(key);
    let run = running.get(tabId);
    if (!run || run.key !== key) {
      stop(tabId, null);
      const abort = new AbortController();
      run = { key, id: msg.id, abort };
      run.done = summarise(r, abort.signal).then((answer) => {
        if (running.get(tabId) === run) running.delete(tabId);
        if (answer.state === "summary") keep(key, answer);
        return answer;
      });
      running.set(tabId, run);
    }
    const answer = await run.done;
    // Never an answer for a message the tab no longer displays.
    if (run.abort.signal.aborted) return NONE;
    const still = await shownIn(tabId);
    return still && still.id === msg.id ? answer : NONE;
  }

  return {
    async handle(msg, sender) {
      if (!msg || typeof msg !== "object") return undefined;
      // Only a content script in a message display tab asks; extension
      // pages have no use for it.
      if (!sender || !sender.tab) return undefined;
      try {
        if (msg.type === CHECK) return await check(sender);
        if (msg.type === SUMMARY) return await summary(sender);
      } catch (err) {
        return { state: "error", text: deps.problemText(err) };
      }
      return undefined;
    },
  };
}

/**
 * panelRules builds the banner's text rules from the panel's modules, so the
 * banner says what the panel says: panel {blockedBy (app.js), t (i18n.js),
 * summaryModel, summaryText (views/summary.js), describe (problem.js)}, now.
 */
export function panelRules(panel, now = () => new Date()) {
  return {
    refusal(check) {
      const b = panel.blockedBy(check);
      return b && b.views.summary ? panel.t(b.key, b.vars) : "";
    },
    summaryText: (answer) => panel.summaryText(panel.summaryModel(answer && answer.summary, now()), "fr"),
    problemText: (err) => panel.describe((err && err.problem) || { code: "unknown" }).text,
  };
}
