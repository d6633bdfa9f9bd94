// The « Plume » banner at the top of the displayed message (a message
// display script, manifest key message_display_scripts, Thunderbird 151+).
// It asks the background (../banner.js) whether the message may be
// summarised — POST /thread/check, so a DIFFUSION RESTREINTE message says so
// and offers no summary — and, on « Résumer », for the summary; or at once,
// once, when the check's answer says the organisation wants it (auto).
// Everything it shows is set with textContent: no HTML from the server or
// the mail.
//
// A classic script (message display scripts are not modules).

(function plumeBanner(global) {
  "use strict";
  const m = global.messenger || global.browser;
  const doc = global.document;
  const ID = "plume-banner";
  if (!m || !m.runtime || !doc || !doc.body || doc.getElementById(ID)) return;

  const text = {
    checking: "Vérification des mentions de protection…",
    run: "Résumer",
    busy: "Résumé en cours…",
    summary: "Résumé du fil",
    refused: "Pas de résumé pour ce message",
    error: "Le résumé n'a pas pu être fait",
    hide: "Masquer",
    show: "Afficher",
  };

  function el(tag, attrs, content) {
    const e = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (content) e.textContent = content;
    return e;
  }

  const bodyId = ID + "-body";
  const root = el("section", { id: ID, class: "plume-banner", "data-state": "checking", "aria-label": "Plume" });
  const head = el("div", { class: "plume-banner__head" });
  const brand = el("span", { class: "plume-banner__brand" }, "Plume");
  const status = el("span", { class: "plume-banner__status", role: "status", "aria-live": "polite", "data-role": "banner-status" }, text.checking);
  const run = el("button", { type: "button", class: "plume-banner__run", "data-action": "banner-summarize" }, text.run);
  const toggle = el("button", { type: "button", class: "plume-banner__toggle", "aria-expanded": "true", "aria-controls": bodyId }, text.hide);
  const body = el("div", { id: bodyId, class: "plume-banner__body", "data-role": "banner-text" });
  run.hidden = true;
  body.hidden = true;
  head.append(brand, status, run, toggle);
  root.append(head, body);
  doc.body.prepend(root);

  let collapsed = false;
  toggle.addEventListener("click", () => {
    collapsed = !collapsed;
    toggle.setAttribute("aria-expanded", collapsed ? "false" : "true");
    toggle.textContent = collapsed ? text.show : text.hide;
    show(root.getAttribute("data-state"));
  });

  // show puts the banner in state, with words (plain text) under its head.
  function show(state, words) {
    root.setAttribute("data-state", state);
    if (words !== undefined) body.textContent = words;
    body.hidden = collapsed || !body.textContent;
    run.hidden = state !== "ready" && state !== "error";
    run.disabled = state === "busy";
    status.textContent = text[state] || "";
  }

  function apply(answer) {
    const a = answer && typeof answer === "object" ? answer : { state: "error", text: "" };
    const words = typeof a.text === "string" ? a.text : "";
    switch (a.state) {
      case "none":
        root.remove();
        return;
      case "ready":
        show("ready", typeof a.warning === "string" ? a.warning : "");
        // Automatic summaries (panel.banner_summary): asked once, never
        // again from this answer; « Résumer » stays for a retry after an error.
        if (a.auto === true && !autoAsked) {
          autoAsked = true;
          summarise();
        }
        return;
      case "summary":
      case "refused":
        show(a.state, words);
        return;
      default:
        show("error", words);
    }
  }

  async function ask(type) {
    try {
      apply(await m.runtime.sendMessage({ type }));
    } catch {
      apply({ state: "error", text: "" });
    }
  }

  let autoAsked = false;
  function summarise() {
    show("busy", "");
    ask("plume.banner.summary");
  }
  run.addEventListener("click", () => {
    if (root.getAttribute("data-state") !== "busy") summarise();
  });
  ask("plume.banner.check");
})(globalThis);
