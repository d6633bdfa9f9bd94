// The background side of the « Plume » banner shown at the top of each
// displayed message (display/banner.js, a message display script). The
// banner only asks; this module answers with the panel's own API client,
// host and rules, and returns plain text: nothing the server sends becomes
// HTML in the message.
//
// The message is always the one displayed in the sender's tab
// (messageDisplay.getDisplayedMessage(sender.tab.id)), never one the
// content script names.

/** CHECK asks whether the displayed message may be summarised (POST /thread/check). */
export const CHECK = "plume.banner.check";

/** SUMMARY asks for the displayed message's thread summary, as text. */
export const SUMMARY = "plume.banner.summary";

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
 * }
 * handle(msg, sender) resolves to the banner's next state:
 * {state: "ready"} | {state: "refused", text} | {state: "summary", text} |
 * {state: "error", text} | {state: "none"} (nothing displayed: no banner), or
 * undefined for a message that is not the banner's.
 */
export function createBanner(deps) {
  const m = deps.messenger;

  async function displayed(sender) {
    const tabId = sender && sender.tab && sender.tab.id;
    if (tabId === undefined || tabId === null) return null;
    if (typeof m.messageDisplay.getDisplayedMessage === "function") {
      return (await m.messageDisplay.getDisplayedMessage(tabId)) || null;
    }
    const r = await m.messageDisplay.getDisplayedMessages(tabId);
    const list = Array.isArray(r) ? r : (r && r.messages) || [];
    return list.length === 1 ? list[0] : null;
  }

  async function request(sender) {
    const msg = await displayed(sender);
    if (!msg) return null;
    const host = await deps.host();
    const ref = await host.messageRef(deps.describeMessage(msg, []));
    return { api: deps.client(host), ref };
  }

  async function check(sender) {
    const r = await request(sender);
    if (!r) return { state: "none" };
    let res;
    try {
      res = await r.api.check(r.ref);
    } catch (err) {
      // An older server or a failed check refuses nothing: the summary is
      // still gated by the server when asked.
      return { state: "ready", warning: deps.problemText(err) };
    }
    const text = deps.refusal(res);
    return text ? { state: "refused", text } : { state: "ready" };
  }

  async function summary(sender) {
    const r = await request(sender);
    if (!r) return { state: "none" };
    try {
      const answer = await r.api.summary(r.ref, { language: "fr", length: "short" });
      return { state: "summary", text: deps.summaryText(answer) };
    } catch (err) {
      // The server gates every request: a marking the pre-check missed is refused here.
      const text = deps.problemText(err);
      return err && /^refused_/.test(err.code || "") ? { state: "refused", text } : { state: "error", text };
    }
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
