// The reply view: tone, length, kind, free instructions; the draft streams
// into an editable text area; "Insérer dans la réponse" / "Répondre à tous"
// hand it to the mail client's reply form (never sent by Plume).

import { h, replace, uid, reveal, block } from "../dom.js";
import { t, getLanguage } from "../i18n.js";
import { replyBodies, streamPreview } from "../text.js";
import { renderMeta, renderProblem } from "./notices.js";
import { perform } from "../run.js";

/** tones, lengths and kinds offered, as the API names them. */
export const tones = ["formel", "neutre", "cordial"];
export const lengths = ["short", "standard", "detailed"];
export const kinds = ["reply", "ack", "accuse_reception", "missing_documents", "meeting_accept", "meeting_decline", "holding"];

/** replyOptions builds the API options from the form's values. */
export function replyOptions(values, lang = getLanguage()) {
  const pick = (v, allowed, def) => (allowed.includes(v) ? v : def);
  const opts = {
    tone: pick(values.tone, tones, "formel"),
    length: pick(values.length, lengths, "standard"),
    kind: pick(values.kind, kinds, "reply"),
    language: lang,
    replyAll: !!values.replyAll,
  };
  const instr = String(values.instructions || "").trim();
  if (instr) opts.instructions = instr.slice(0, 2000);
  return opts;
}

/** selectField is a labelled select of values, each named t(prefix + value): {el, field}. */
export function selectField(name, values, labelKey, prefix, def) {
  const id = uid(name);
  const el = h("select", { id, name }, values.map((v) => h("option", { value: v, selected: v === def }, t(prefix + v))));
  return { el, field: h("div", { class: "field" }, h("label", { for: id }, t(labelKey)), el) };
}

/** createReplyView returns {el, setMessage(cur), setBlocked(reasonId)}. */
export function createReplyView(ctx) {
  const tone = selectField("tone", tones, "reply.tone", "tone.", "formel");
  const len = selectField("length", lengths, "reply.length", "length.", "standard");
  const kind = selectField("kind", kinds, "reply.kind", "kind.", "reply");
  const instrId = uid("instr");
  const instrHint = uid("hint");
  const instructions = h("textarea", { id: instrId, name: "instructions", rows: "2", "aria-describedby": instrHint, maxlength: "2000" });
  const draftBtn = h("button", { type: "button", class: "btn btn--primary", "data-action": "draft" }, t("reply.draft"));
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const textId = uid("draft");
  const text = h("textarea", { id: textId, name: "draft", rows: "10", class: "draft", "data-role": "draft", readonly: true });
  const draftField = h("div", { class: "field", hidden: true }, h("label", { for: textId }, t("reply.text")), text);
  const insert = h("button", { type: "button", class: "btn btn--primary", "data-action": "insert" }, t("reply.insert"));
  const insertAll = h("button", { type: "button", class: "btn btn--secondary", "data-action": "insert-all" }, t("reply.insertAll"));
  const insertRow = h("div", { class: "buttons", hidden: true }, insert, insertAll);
  const out = h("div", { class: "result", "data-role": "reply-result" });
  const el = h(
    "section",
    { class: "view" },
    h("div", { class: "grid-2" }, tone.field, len.field),
    kind.field,
    h("div", { class: "field" }, h("label", { for: instrId }, t("reply.instructions")), h("p", { id: instrHint, class: "hint" }, t("reply.instructionsHint")), instructions),
    h("div", { class: "buttons" }, draftBtn),
    status,
    draftField,
    insertRow,
    out,
    h("p", { class: "hint" }, t("reply.neverSent")),
  );
  let reply = null;
  let busy = false;
  let blocked = false;
  // drafted is the run whose draft is shown: its message is the one the draft was written for.
  let drafted = null;

  draftBtn.addEventListener("click", async () => {
    const cur = ctx.current();
    if (!cur || busy || blocked) return;
    busy = true;
    const run = ctx.runs.start(cur);
    drafted = null;
    draftBtn.disabled = true;
    insertRow.hidden = true;
    replace(out);
    reply = null;
    let raw = "";
    text.value = "";
    text.readOnly = true;
    text.setAttribute("aria-busy", "true");
    draftField.hidden = false;
    status.textContent = t("reply.writing");
    reveal(status);
    await perform(
      run,
      async ({ signal }) => {
        const ref = await ctx.ref(cur);
        const opts = replyOptions({ tone: tone.el.value, length: len.el.value, kind: kind.el.value, instructions: instructions.value });
        return ctx.api.reply(ref, opts, {
          signal,
          onToken: run.guard((chunk) => {
            raw += chunk;
            text.value = streamPreview(raw);
            text.scrollTop = text.scrollHeight;
          }),
        });
      },
      {
        onAnswer(answer) {
          reply = answer.reply || { text: raw };
          text.value = reply.text || "";
          replace(out, renderMeta(answer.meta));
          status.textContent = t("reply.ready");
          insertRow.hidden = false;
          drafted = run;
          // The draft and its Insert buttons in view (the status line is announced), the focus on the draft.
          draftField.scrollIntoView({ block: "start" });
          text.focus({ preventScroll: true });
        },
        onError(err) {
          draftField.hidden = raw === "";
          status.textContent = "";
          replace(out, renderProblem(err));
          reveal(out);
        },
      },
    );
    // A run cancelled by a change of message leaves the view to setMessage.
    if (!run.isCurrent()) return;
    text.readOnly = false;
    text.setAttribute("aria-busy", "false");
    draftBtn.disabled = blocked;
    busy = false;
  });

  async function doInsert(all) {
    // Only a draft written for the message shown now may be inserted, and only into that message's reply.
    const run = drafted;
    if (!run || !run.isCurrent()) return;
    if (!text.value.trim()) {
      status.textContent = t("reply.empty");
      return;
    }
    const body = replyBodies(reply, text.value);
    try {
      const res = await ctx.host.insertReply(body, all, run.message);
      if (!run.isCurrent()) return;
      const extra = [];
      if (res && res.preview) extra.push(renderPreview(res.preview));
      if (res && res.notice) extra.push(h("p", { class: "notice notice--warning", "data-notice": res.notice }, t(res.notice)));
      replace(out, extra);
      status.textContent = res && res.preview ? "" : t("reply.inserted");
      reveal(res && res.preview ? out : status);
    } catch (err) {
      if (!run.isCurrent()) return;
      replace(out, renderProblem(err));
      reveal(out);
    }
  }
  insert.addEventListener("click", () => doInsert(false));
  insertAll.addEventListener("click", () => doInsert(true));

  return {
    el,
    setMessage(cur) {
      reply = null;
      drafted = null;
      busy = false;
      text.readOnly = true;
      text.setAttribute("aria-busy", "false");
      text.value = "";
      draftField.hidden = true;
      insertRow.hidden = true;
      status.textContent = "";
      replace(out);
      blocked = false;
      block(draftBtn, null, !!cur);
    },
    /** setBlocked disables drafting, described by the element reasonId, or enables it (null). */
    setBlocked(reasonId) {
      blocked = !!reasonId;
      block(draftBtn, reasonId, !!ctx.current() && !busy);
    },
  };
}

function renderPreview(p) {
  return h(
    "div",
    { class: "preview", "data-role": "reply-preview" },
    h("p", { class: "preview__title" }, t("reply.preview")),
    h("p", { class: "hint" }, t("reply.previewTo", { who: t(p.replyAll ? "reply.toAll" : "reply.toSender") })),
    h("div", { class: "preview__body" }, p.text),
  );
}
