// The summary view: summarise the thread, streamed while written, then the
// structured summary with key points, decisions, action items (deadlines
// highlighted when close), participants; regenerate; copy.

import { h, replace, uid, reveal, block } from "../dom.js";
import { t, getLanguage } from "../i18n.js";
import { deadlineStatus, formatDay } from "../deadline.js";
import { streamPreview } from "../text.js";
import { renderLightMarkdown } from "../markdown.js";
import { renderMeta, renderProblem } from "./notices.js";
import { perform } from "../run.js";

const lists = ["keyPoints", "decisions", "openQuestions"];

/** summaryModel prepares a Summary for display: sections with items, action items with deadline status. */
export function summaryModel(summary, today) {
  const s = summary || {};
  const sections = lists
    .map((key) => ({ key, items: (Array.isArray(s[key]) ? s[key] : []).filter((x) => typeof x === "string" && x.trim()) }))
    .filter((sec) => sec.items.length);
  const actions = (Array.isArray(s.actionItems) ? s.actionItems : []).map((a) => ({
    who: a.who || "",
    what: a.what || "",
    due: a.due || "",
    dueText: a.dueText || "",
    status: deadlineStatus(a.due || "", today),
  }));
  const participants = (Array.isArray(s.participants) ? s.participants : []).map((p) => ({ name: p.name || "", role: p.role || "" }));
  return { text: s.summary || "", sections, actions, participants };
}

/** summaryText is the summary as plain text, for the clipboard. */
export function summaryText(model, lang = getLanguage()) {
  const colon = lang === "en" ? ":" : " :";
  const out = [];
  if (model.text) out.push(model.text);
  for (const sec of model.sections) {
    out.push("", t("summary." + sec.key) + colon);
    for (const it of sec.items) out.push("- " + it);
  }
  if (model.actions.length) {
    out.push("", t("summary.actionItems") + colon);
    for (const a of model.actions) {
      const due = a.due ? " (" + t("summary.due", { date: formatDay(a.due, lang) }) + ")" : a.dueText ? " (" + a.dueText + ")" : "";
      out.push("- " + (a.who ? a.who + colon + " " : "") + a.what + due);
    }
  }
  if (model.participants.length) {
    out.push("", t("summary.participants") + colon);
    for (const p of model.participants) out.push("- " + p.name + (p.role ? " (" + p.role + ")" : ""));
  }
  return out.join("\n");
}

/** dueLabel says an action item's deadline once: "échéance dépassée : 15/07/2026", "échéance proche : …", "échéance …". */
export function dueLabel(a, lang = getLanguage()) {
  if (!a.due) return a.dueText || "";
  const date = formatDay(a.due, lang);
  if (a.status === "overdue") return t("summary.dueOverdue", { date });
  if (a.status === "soon") return t("summary.dueSoon", { date });
  return t("summary.due", { date });
}

/** createSummaryView returns {el, setMessage(cur), setBlocked(reasonId)}. */
export function createSummaryView(ctx) {
  const lengthId = uid("len");
  const length = h(
    "select",
    { id: lengthId, name: "length" },
    ["short", "standard", "detailed"].map((v) => h("option", { value: v, selected: v === "standard" }, t("length." + v))),
  );
  const run = h("button", { type: "button", class: "btn btn--primary", "data-action": "summarize" }, t("summary.run"));
  const copy = h("button", { type: "button", class: "btn btn--secondary", "data-action": "copy", hidden: true }, t("summary.copy"));
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const stream = h("div", { class: "stream", "aria-live": "polite", "aria-busy": "false", hidden: true, "data-role": "stream" });
  const result = h("div", { class: "result", "data-role": "summary-result" });
  const el = h(
    "section",
    { class: "view" },
    h("div", { class: "field field--inline" }, h("label", { for: lengthId }, t("summary.length")), length),
    h("div", { class: "buttons" }, run, copy),
    status,
    stream,
    result,
  );
  let model = null;
  let busy = false;
  let blocked = false;

  run.addEventListener("click", async () => {
    const cur = ctx.current();
    if (!cur || busy || blocked) return;
    busy = true;
    const r = ctx.runs.start(cur);
    run.disabled = true;
    copy.hidden = true;
    replace(result);
    let raw = "";
    stream.hidden = false;
    stream.setAttribute("aria-busy", "true");
    replace(stream);
    status.textContent = t("summary.writing");
    reveal(status);
    await perform(
      r,
      async ({ signal }) => {
        const ref = await ctx.ref(cur);
        return ctx.api.summary(
          ref,
          { language: getLanguage(), length: length.value },
          {
            signal,
            onToken: r.guard((text) => {
              raw += text;
              stream.textContent = streamPreview(raw);
            }),
            onProgress: r.guard((p) => {
              if (p && p.total > 1) status.textContent = t("summary.writing") + " " + t("attachments.progress", { done: p.done, total: p.total });
            }),
          },
        );
      },
      {
        onAnswer(answer) {
          model = summaryModel(answer.summary, ctx.now());
          stream.hidden = true;
          replace(result, renderMeta(answer.meta), renderSummary(model));
          status.textContent = t("summary.ready");
          copy.hidden = false;
          run.textContent = t("summary.regenerate");
          reveal(result);
        },
        onError(err) {
          stream.hidden = true;
          status.textContent = "";
          replace(result, renderProblem(err));
          reveal(result);
        },
      },
    );
    // A run cancelled by a change of message leaves the view to setMessage.
    if (!r.isCurrent()) return;
    stream.setAttribute("aria-busy", "false");
    run.disabled = blocked;
    busy = false;
  });

  copy.addEventListener("click", async () => {
    if (!model) return;
    status.textContent = (await ctx.copy(summaryText(model))) ? t("summary.copied") : t("copy.failed");
  });

  return {
    el,
    setMessage(cur) {
      model = null;
      busy = false;
      replace(result);
      replace(stream);
      stream.hidden = true;
      stream.setAttribute("aria-busy", "false");
      status.textContent = "";
      copy.hidden = true;
      run.textContent = t("summary.run");
      blocked = false;
      block(run, null, !!cur);
    },
    /** setBlocked disables the summary, described by the element reasonId, or enables it (null). */
    setBlocked(reasonId) {
      blocked = !!reasonId;
      block(run, reasonId, !!ctx.current() && !busy);
    },
  };
}

/**
 * renderSummary builds the summary's elements from its model. With
 * opts.markdown (document summaries) the text's light markdown — headings,
 * lists, simple tables — is rendered as elements, text only.
 */
export function renderSummary(model, opts = {}) {
  const lang = getLanguage();
  const parts = [];
  if (model.text && opts.markdown) parts.push(h("div", { class: "summary-text summary-text--doc" }, renderLightMarkdown(model.text)));
  else if (model.text) parts.push(h("p", { class: "summary-text" }, model.text));
  for (const sec of model.sections) {
    parts.push(h("h3", {}, t("summary." + sec.key)), h("ul", { "data-section": sec.key }, sec.items.map((i) => h("li", {}, i))));
  }
  if (model.actions.length) {
    parts.push(
      h("h3", {}, t("summary.actionItems")),
      h(
        "ul",
        { class: "actions-list", "data-section": "actionItems" },
        model.actions.map((a) =>
          h(
            "li",
            { class: "action-item action-item--" + a.status, "data-deadline": a.status },
            h("span", { class: "action-item__who" }, a.who || t("summary.nobody")),
            " — ",
            h("span", {}, a.what),
            a.due || a.dueText
              ? h(
                  "span",
                  { class: "deadline deadline--" + a.status },
                  dueLabel(a, lang),
                )
              : null,
          ),
        ),
      ),
    );
  }
  if (model.participants.length) {
    parts.push(
      h("h3", {}, t("summary.participants")),
      h("ul", { "data-section": "participants" }, model.participants.map((p) => h("li", {}, p.name + (p.role ? " — " + p.role : "")))),
    );
  }
  return parts;
}
