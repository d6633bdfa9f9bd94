// The panel application: one shell for every host (browser, Outlook,
// Thunderbird). The host adapter gives the current message, the token and
// the insertion of drafts; the views do the rest through the API client.

import { h, replace, uid, reveal } from "./dom.js";
import { t, setLanguage } from "./i18n.js";
import { createClient } from "./api.js";
import { createSummaryView } from "./views/summary.js";
import { createReplyView } from "./views/reply.js";
import { createDraftView } from "./views/draft.js";
import { createAskView } from "./views/ask.js";
import { createActionsView } from "./views/actions.js";
import { createAttachmentsView } from "./views/attachments.js";
import { createSettingsView } from "./views/settings.js";
import { renderProblem } from "./views/notices.js";
import { createRuns, perform } from "./run.js";

/** tabNames are the panel's tabs, in order. */
export const tabNames = ["summary", "reply", "draft", "actions", "attachments", "settings"];

/** visibleTabs lists the tabs to show: a tab with nothing to offer (no organisation action) is hidden. */
export function visibleTabs(me) {
  const actions = me && Array.isArray(me.actions) && me.actions.length > 0;
  return tabNames.filter((n) => n !== "actions" || actions);
}

/** nextTab returns the tab to focus for a key press in the tab list (ARIA tabs pattern), or null. */
export function nextTab(current, key, list = tabNames) {
  const i = list.indexOf(current);
  switch (key) {
    case "ArrowRight":
      return list[(i + 1) % list.length];
    case "ArrowLeft":
      return list[(i - 1 + list.length) % list.length];
    case "Home":
      return list[0];
    case "End":
      return list[list.length - 1];
    default:
      return null;
  }
}

/**
 * taskOfView is the API task each view's buttons ask for (POST /thread/check
 * "refused" keys); "ask" is the « Demander » box of the summary tab.
 */
export const taskOfView = { summary: "summary", ask: "ask", reply: "reply", draft: "draft", actions: "action", attachments: "document" };

/** messageViews are the views that act on the current message. */
const messageViews = Object.keys(taskOfView);

/**
 * blockedBy reads POST /thread/check: which views' actions would be refused,
 * and the one sentence that says why ({key, vars}), or null when nothing is.
 */
export function blockedBy(check) {
  const refused = (check && check.refused) || {};
  const views = {};
  let first = null;
  for (const [view, task] of Object.entries(taskOfView)) {
    const p = refused[task];
    if (!p) continue;
    views[view] = true;
    first = first || p;
  }
  if (!first) return null;
  if (first.code === "refused_encrypted") return { views, key: "check.encrypted", vars: {} };
  return { views, key: "check.marked", vars: { marking: first.marking || ((check.markings || [])[0] ?? "") } };
}

/** threadLabel is the picker's text for one entry of GET /threads. */
export function threadLabel(th) {
  const marks = Array.isArray(th.markings) && th.markings.length ? "[" + th.markings.join(", ") + "] " : "";
  const count = th.count > 1 ? " (" + th.count + ")" : "";
  return marks + (th.subject || "—") + count;
}

/**
 * start runs the panel in root (an element) for host.
 * env: {now: () => Date, clipboard, document}.
 */
export async function start(root, host, env = {}) {
  const doc = env.document || document;
  const now = env.now || (() => new Date());
  await host.init();
  setLanguage((await host.prefs.get("language")) || "fr");
  doc.documentElement.lang = (await host.prefs.get("language")) || "fr";
  const api = createClient({ base: host.apiBase, token: () => host.token() });
  const state = { me: null, current: null, threads: null, tab: "summary", problem: null };
  let views = null;
  const runs = createRuns(() => state.current);

  const ctx = {
    api,
    host,
    now,
    current: () => state.current,
    document: doc,
    /** runs: each view's requests, cancelled when the message changes (run.js). */
    runs,
    ref: async (cur) => (host.messageRef ? host.messageRef(cur) : cur.ref),
    copy: (text) => copyText(doc, env.clipboard, text),
    async setLanguage(lang) {
      setLanguage(lang);
      doc.documentElement.lang = lang;
      await host.prefs.set("language", lang);
      build();
      selectTab("settings", true);
    },
    reload: () => loadMe(),
  };

  function build() {
    views = {
      summary: createSummaryView(ctx),
      reply: createReplyView(ctx),
      draft: createDraftView(ctx),
      ask: createAskView(ctx),
      actions: createActionsView(ctx),
      attachments: createAttachmentsView(ctx),
      settings: createSettingsView(ctx),
    };
    const tabs = {};
    const panels = {};
    for (const name of tabNames) {
      const tabId = uid("tab");
      const panelId = uid("panel");
      // Short labels keep every tab on one row at 320 px; the full name is the accessible name.
      tabs[name] = h(
        "button",
        { type: "button", role: "tab", id: tabId, "aria-controls": panelId, "data-tab": name, class: "tab tab--" + name, "aria-label": t("tab." + name), title: t("tab." + name) },
        h("span", { "aria-hidden": "true", class: "tab__short" }, t("tab.short." + name)),
      );
      // The summary tab also holds the « Demander » box.
      const content = name === "summary" ? [views.summary.el, views.ask.el] : views[name].el;
      panels[name] = h("div", { role: "tabpanel", id: panelId, "aria-labelledby": tabId, tabindex: "0", class: "tabpanel", "data-panel": name }, content);
      tabs[name].addEventListener("click", () => selectTab(name, true));
      tabs[name].addEventListener("keydown", (e) => {
        const next = nextTab(name, e.key, visibleTabs(state.me));
        if (next) {
          e.preventDefault();
          selectTab(next, true);
        }
      });
    }
    state.tabs = tabs;
    state.panels = panels;
    state.globalAlert = h("div", { "data-role": "global-alert" });
    state.currentLine = h("p", { class: "current", "data-role": "current" });
    state.blockLine = h("p", { class: "block-reason", id: uid("block"), "data-role": "block-reason", hidden: true });
    const picker = host.picker ? buildPicker() : null;
    // The bar (name, message, tabs) stays in view while the content scrolls.
    state.bar = h(
      "div",
      { class: "bar", "data-role": "bar" },
      h("header", { class: "header" }, h("p", { class: "brand" }, h("span", { class: "brand__mark", "aria-hidden": "true" }, ""), "Plume"), h("p", { class: "tagline" }, t("app.title"))),
      h(
        "div",
        { class: "bar__body" },
        picker,
        state.currentLine,
        state.blockLine,
        h("div", { role: "tablist", "aria-label": t("tabs.label"), class: "tabs" }, tabNames.map((n) => tabs[n])),
      ),
    );
    replace(root, state.bar, h("main", { class: "main" }, state.globalAlert, tabNames.map((n) => panels[n])));
    keepBarClear();
    if (state.problem) replace(state.globalAlert, renderProblem(state.problem));
    if (state.me) applyMe();
    showCurrent();
    selectTab(state.tab, false);
  }

  // keepBarClear makes scrollIntoView stop below the sticky bar, whatever its height.
  function keepBarClear() {
    const set = () => {
      doc.documentElement.style.scrollPaddingTop = state.bar.offsetHeight + 8 + "px";
    };
    set();
    if (typeof ResizeObserver === "function") new ResizeObserver(set).observe(state.bar);
  }

  function buildPicker() {
    const id = uid("picker");
    const sel = h("select", { id, name: "thread", "data-role": "picker" }, h("option", { value: "" }, state.threads ? t("picker.choose") : t("picker.loading")));
    if (state.threads) {
      state.threads.forEach((th, i) => sel.appendChild(h("option", { value: String(i), selected: state.current && state.current.ref.messageId === th.messageId }, threadLabel(th))));
      if (!state.threads.length) sel.firstChild.textContent = t("picker.empty");
    }
    sel.addEventListener("change", () => {
      const th = state.threads && state.threads[Number(sel.value)];
      host.select(sel.value === "" ? null : th);
    });
    state.picker = sel;
    return h("div", { class: "field picker" }, h("label", { for: id }, t("picker.label")), sel);
  }

  function selectTab(name, focus) {
    const shown = visibleTabs(state.me);
    if (!shown.includes(name)) name = shown[0];
    state.tab = name;
    for (const n of tabNames) {
      const on = n === name;
      state.tabs[n].hidden = !shown.includes(n);
      state.tabs[n].setAttribute("aria-selected", on ? "true" : "false");
      state.tabs[n].tabIndex = on ? 0 : -1;
      state.panels[n].hidden = !on;
    }
    if (focus) state.tabs[name].focus();
  }

  function showCurrent() {
    const cur = state.current;
    // Whatever was asked for the previous message (or for views being rebuilt) is cancelled and dropped.
    runs.cancel();
    renderCurrent(cur, cur ? cur.markings : []);
    showBlock(null);
    for (const n of messageViews) views[n].setMessage(cur);
    if (cur) checkMessage(cur);
  }

  function renderCurrent(cur, markings) {
    if (!cur) {
      replace(state.currentLine, host.picker ? t("app.noMessageBrowser") : t("app.noMessage"));
      return;
    }
    state.currentLine.title = cur.subject || "";
    replace(
      state.currentLine,
      h("span", { class: "visually-hidden" }, t("current.label") + " : "),
      (markings || []).map((m) => h("span", { class: "badge badge--marking", "data-role": "marking" }, m)),
      h("span", { class: "current__subject" }, cur.subject || "—"),
    );
  }

  // checkMessage asks the server, before any click, what the gate would
  // refuse for the message: its markings are shown and refused actions
  // disabled with the reason. A failed check changes nothing: each request
  // is still gated.
  function checkMessage(cur) {
    if (!api.check) return;
    const run = runs.start(cur);
    perform(run, async ({ signal }) => api.check(await ctx.ref(cur), { signal }), {
      onAnswer(res) {
        const markings = [...new Set([...(cur.markings || []), ...((res && res.markings) || [])])];
        renderCurrent(cur, markings);
        showBlock(blockedBy(res));
      },
      onError() {},
    });
  }

  function showBlock(block) {
    state.blockLine.hidden = !block;
    state.blockLine.textContent = block ? t(block.key, block.vars) : "";
    for (const n of messageViews) {
      views[n].setBlocked(block && block.views[n] ? state.blockLine.id : null);
    }
  }

  function applyMe() {
    views.settings.setMe(state.me);
    views.actions.setActions(state.me.actions);
    selectTab(state.tab, false);
    if (host.setSources && state.me.features) host.setSources(state.me.features.sources);
  }

  async function loadMe() {
    try {
      state.me = await api.me();
      state.problem = null;
      replace(state.globalAlert);
      applyMe();
    } catch (err) {
      state.problem = err;
      replace(state.globalAlert, renderProblem(err));
    }
  }

  build();
  host.onChange((cur) => {
    state.current = cur;
    showCurrent();
  });
  if (host.onFileDrop) {
    host.onFileDrop((f) => {
      selectTab("attachments", false);
      views.attachments.summarizeFile(f);
    });
  }
  await loadMe();
  if (host.picker) {
    try {
      const res = await api.threads(20);
      state.threads = res.threads || [];
    } catch (err) {
      state.threads = [];
      replace(state.globalAlert, renderProblem(err));
    }
    const old = state.picker.parentElement;
    old.replaceWith(buildPicker());
  } else {
    try {
      state.current = await host.current();
    } catch (err) {
      replace(state.globalAlert, renderProblem(err));
    }
    showCurrent();
  }
  if (host.pendingAttachments) {
    const pending = await host.pendingAttachments();
    if (pending.length) {
      selectTab("attachments", false);
      for (const att of pending) await views.attachments.summarize(att);
    }
  }
  root.setAttribute("data-ready", "true");
  return { ctx, state };
}

async function copyText(doc, clipboard, text) {
  const cb = clipboard || (globalThis.navigator && globalThis.navigator.clipboard);
  if (cb && cb.writeText) {
    try {
      await cb.writeText(text);
      return true;
    } catch {
      // fall back to a selection copy
    }
  }
  try {
    const ta = doc.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    doc.body.appendChild(ta);
    ta.select();
    const ok = doc.execCommand("copy");
    ta.remove();
    return ok;
  } catch {
    return false;
  }
}
