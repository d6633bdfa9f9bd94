// The « Demander » box of the summary tab: a free question on the thread,
// sent to POST /api/v1/thread/ask; the answer comes from the thread only,
// streamed while written, each statement with its source, or « Le fil ne le
// précise pas. » said plainly.

import { h, replace, uid } from "../dom.js";
import { t, getLanguage } from "../i18n.js";
import { renderMeta } from "./notices.js";
import { streamedTask } from "./task.js";

/** askQuestion is the question to send, trimmed and capped at 1000 characters; null when empty. */
export function askQuestion(question) {
  const q = String(question || "").trim();
  return q ? q.slice(0, 1000) : null;
}

/** answerModel is what the box shows: the answer, whether the thread says
 * it, and the sources cited. */
export function answerModel(ans) {
  if (!ans) return { text: "", found: false, sources: [] };
  return {
    text: String(ans.text || ""),
    found: !!ans.found,
    sources: (ans.citations || []).map((c) => c.source).filter(Boolean),
  };
}

/** streamedAnswer turns the model's streamed tokens into a preview: its
 * [M1] references are shown as "…" until the result names the sources. */
export function streamedAnswer(tokens) {
  return String(tokens || "").replace(/\s*\[(?:[MD]\d+(?:\s*[,;]\s*)?)+\]/g, " (…)");
}

/** renderAnswer builds the answer's elements: the text and its sources, or the plain « not in the thread ». */
export function renderAnswer(model) {
  if (!model.found) return [h("p", { class: "answer answer--none", "data-found": "false" }, t("ask.notFound"))];
  return [
    h("p", { class: "answer", "data-found": "true" }, model.text),
    model.sources.length ? h("h4", { class: "answer__sources-title" }, t("ask.sources")) : null,
    model.sources.length ? h("ul", { class: "answer__sources", "data-role": "ask-sources" }, model.sources.map((s) => h("li", {}, s))) : null,
  ];
}

/** createAskView returns {el, setMessage(cur), setBlocked(reasonId)}. */
export function createAskView(ctx) {
  const titleId = uid("ask");
  const qId = uid("q");
  const hintId = uid("hint");
  const question = h("input", { id: qId, name: "question", type: "text", autocomplete: "off", maxlength: "1000", "aria-describedby": hintId });
  const ask = h("button", { type: "submit", class: "btn btn--primary", "data-action": "ask" }, t("ask.run"));
  const form = h(
    "form",
    { class: "ask__form", novalidate: true },
    h("label", { for: qId }, t("ask.question")),
    h("div", { class: "ask__row" }, question, ask),
    h("p", { id: hintId, class: "hint" }, t("ask.hint")),
  );
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const stream = h("div", { class: "stream", "aria-busy": "false", hidden: true, "data-role": "ask-stream" });
  const out = h("div", { class: "result", "data-role": "ask-result" });
  const el = h("section", { class: "ask", "aria-labelledby": titleId }, h("h3", { id: titleId, class: "ask__title" }, t("ask.title")), form, status, stream, out);
  // asked is the question as it was when the agent asked it.
  let asked = null;
  const task = streamedTask({
    ctx,
    button: ask,
    status,
    stream,
    out,
    writing: "ask.writing",
    ready: "ask.ready",
    preview: streamedAnswer,
    request: (ref, handlers) => ctx.api.ask(ref, asked, { language: getLanguage() }, handlers),
    onAnswer: (answer) => replace(out, renderMeta(answer.meta), renderAnswer(answerModel(answer.answer))),
  });

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!ctx.current() || ask.disabled) return;
    asked = askQuestion(question.value);
    if (!asked) {
      status.textContent = t("ask.empty");
      question.focus();
      return;
    }
    task.start();
  });

  return { el, setMessage: task.setMessage, setBlocked: task.setBlocked };
}
