// The attachments view: the item's attachments, each with a "Résumer"
// button; a drop zone and a file chooser for files and dragged attachments.
// Summaries stream progress (chunk i of n) and end with key points and deadlines.

import { h, replace, uid, reveal, block } from "../dom.js";
import { t, getLanguage } from "../i18n.js";
import { formatSize, streamPreview } from "../text.js";
import { summaryModel, renderSummary } from "./summary.js";
import { renderMeta, renderProblem } from "./notices.js";
import { ApiError } from "../problem.js";
import { perform } from "../run.js";

/** documentModel prepares a DocumentSummary for display (summaryModel plus counts, deadlines and skipped parts). */
export function documentModel(doc, today) {
  const d = doc || {};
  const base = summaryModel(d, today);
  const extra = summaryModel({ actionItems: (Array.isArray(d.deadlines) ? d.deadlines : []).map((x) => ({ who: x.who || "", what: x.what || x.text || "", due: x.due || "", dueText: x.dueText || "" })) }, today);
  const counts = [];
  if (d.pages > 0) counts.push({ key: "attachments.pages", n: d.pages });
  if (d.sheets > 0) counts.push({ key: "attachments.sheets", n: d.sheets });
  if (d.slides > 0) counts.push({ key: "attachments.slides", n: d.slides });
  return {
    ...base,
    actions: base.actions.concat(extra.actions),
    name: d.name || "",
    counts,
    skipped: (Array.isArray(d.skipped) ? d.skipped : []).filter((s) => typeof s === "string"),
    notes: (Array.isArray(d.notes) ? d.notes : []).filter((s) => typeof s === "string"),
  };
}

/** progressState turns a progress event into {value, max, label} for the progress bar, or null. */
export function progressState(p) {
  if (!p || !(p.total > 0)) return null;
  const done = Math.max(0, Math.min(Number(p.done) || 0, p.total));
  return { value: done, max: p.total, label: t("attachments.progress", { done, total: p.total }) };
}

/** uploadPlan says how to send an attachment: by reference (partPath or id) or by upload. */
export function uploadPlan(att, mode) {
  if (mode === "partPath" && att.partPath) return { by: "partPath", attachment: { partPath: att.partPath } };
  if (mode === "id" && att.id) return { by: "id", attachment: { id: att.id } };
  return { by: "upload" };
}

/**
 * carryingRef returns the reference of the message that carries att: the
 * host's own (Thunderbird: Message-ID, or raw MIME in raw mode), the one the
 * attachment was listed with, or the current message's. null when there is none.
 */
export async function carryingRef(ctx, att) {
  if (ctx.host.attachmentRef) return ctx.host.attachmentRef(att);
  if (att && att.ref) return att.ref;
  const cur = ctx.current();
  return cur ? ctx.ref(cur) : null;
}

/**
 * attachmentRequest builds the attachment summary request for one of the
 * message's attachments. An upload always names the message carrying the
 * file, so that the server applies that message's protection markings and
 * encryption to it: without a reference nothing is uploaded.
 * onReading is called before the host reads the file.
 */
export async function attachmentRequest(ctx, att, options, onReading) {
  const plan = uploadPlan(att, ctx.host.attachmentMode(att));
  const ref = await carryingRef(ctx, att);
  if (!ref) throw new ApiError({ code: "message_not_found" });
  if (plan.by !== "upload") return { ref, attachment: plan.attachment, options };
  if (onReading) onReading();
  const f = await ctx.host.attachmentFile(att);
  return { file: f.blob, name: f.name || att.name, ref, options };
}

/**
 * fileRequest builds the request for a file dropped or chosen by the user.
 * When a message is open the upload names it: the file is summarised under
 * that message's markings (a file dragged out of a marked message stays
 * marked); with no message open only the file's own markings apply.
 */
export async function fileRequest(ctx, f, options) {
  const cur = ctx.current();
  const ref = cur ? await ctx.ref(cur) : null;
  const req = { file: f.blob, name: f.name, options };
  if (ref) req.ref = ref;
  return req;
}

/** createAttachmentsView returns {el, setMessage(cur), setBlocked(reasonId), summarize(att), summarizeFile(file)}. */
export function createAttachmentsView(ctx) {
  const list = h("ul", { class: "attachment-list", "data-role": "attachments" });
  const fileId = uid("file");
  const fileInput = h("input", { id: fileId, type: "file", class: "visually-hidden" });
  const drop = h(
    "div",
    { class: "dropzone", "data-role": "dropzone" },
    h("p", {}, t("attachments.drop")),
    fileInput,
    h("label", { for: fileId, class: "btn btn--secondary" }, t("attachments.choose")),
  );
  const results = h("div", { class: "results", "data-role": "attachment-results" });
  const el = h("section", { class: "view" }, list, drop, results);

  fileInput.addEventListener("change", () => {
    const f = fileInput.files && fileInput.files[0];
    if (f) summarizeFile({ blob: f, name: f.name });
    fileInput.value = "";
  });
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("dropzone--active");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("dropzone--active"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("dropzone--active");
    const files = e.dataTransfer && e.dataTransfer.files ? Array.from(e.dataTransfer.files) : [];
    for (const f of files) summarizeFile({ blob: f, name: f.name });
  });

  function card(name) {
    const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
    const bar = h("progress", { max: "1", value: "0", hidden: true, "aria-label": name });
    const live = h("div", { class: "stream", "aria-busy": "true", hidden: true, "data-role": "stream" });
    const body = h("div", {});
    const c = h("article", { class: "card", "data-role": "attachment-summary" }, h("h3", { class: "card__title" }, name), status, bar, live, body);
    results.prepend(c);
    reveal(c);
    return { status, bar, live, body };
  }

  // stream summarises one document in a new card. The card belongs to the
  // message shown when it was asked for: a change of message cancels it.
  async function stream(name, request) {
    const run = ctx.runs.start(ctx.current());
    const ui = card(name);
    ui.status.textContent = t("attachments.sending");
    let raw = "";
    await perform(
      run,
      async ({ signal }) =>
        ctx.api.attachmentSummary(await request(ui), {
          signal,
          onToken: run.guard((text) => {
            raw += text;
            ui.live.hidden = false;
            ui.live.textContent = streamPreview(raw);
          }),
          onProgress: run.guard((p) => {
            const st = progressState(p);
            if (!st) return;
            ui.bar.hidden = false;
            ui.bar.max = st.max;
            ui.bar.value = st.value;
            ui.status.textContent = st.label;
          }),
        }),
      {
        onAnswer(answer) {
          const model = documentModel(answer.document, ctx.now());
          ui.bar.hidden = true;
          ui.live.hidden = true;
          ui.status.textContent = t("summary.ready");
          replace(
            ui.body,
            renderMeta(answer.meta),
            model.counts.length ? h("p", { class: "hint" }, model.counts.map((c) => t(c.key, { n: c.n })).join(" · ")) : null,
            renderSummary(model, { markdown: true }),
            model.skipped.length ? h("p", { class: "hint" }, t("attachments.skipped", { what: model.skipped.join(", ") })) : null,
            model.notes.map((n) => h("p", { class: "hint" }, n)),
          );
          reveal(ui.body.closest("[data-role=attachment-summary]"));
        },
        onError(err) {
          ui.bar.hidden = true;
          ui.live.hidden = true;
          ui.status.textContent = "";
          replace(ui.body, renderProblem(err));
          reveal(ui.body.closest("[data-role=attachment-summary]"));
        },
      },
    );
  }

  function summarize(att) {
    return stream(att.name, async (ui) => {
      const req = await attachmentRequest(ctx, att, { language: getLanguage() }, () => {
        ui.status.textContent = t("attachments.reading");
      });
      ui.status.textContent = t("attachments.sending");
      return req;
    });
  }

  function summarizeFile(f) {
    return stream(f.name, () => fileRequest(ctx, f, { language: getLanguage() }));
  }

  // setButtons disables the summarise buttons and the file chooser while the message is blocked.
  function setButtons(reasonId) {
    for (const b of [...list.querySelectorAll("button"), fileInput]) block(b, reasonId);
    drop.classList.toggle("dropzone--disabled", !!reasonId);
  }

  return {
    el,
    summarize,
    summarizeFile,
    setBlocked: setButtons,
    setMessage(cur) {
      setButtons(null);
      replace(results);
      const atts = (cur && cur.attachments) || [];
      if (!atts.length) {
        replace(list, h("li", { class: "hint" }, t("attachments.none")));
        return;
      }
      replace(
        list,
        atts.map((a) =>
          h(
            "li",
            { class: "attachment" },
            h("span", { class: "attachment__name" }, a.name),
            h("span", { class: "attachment__size" }, formatSize(a.size, getLanguage())),
            h(
              "button",
              { type: "button", class: "btn btn--secondary btn--sm", "aria-label": t("attachments.summarizeNamed", { name: a.name }), "data-attachment": a.key, onclick: () => summarize(a) },
              t("attachments.summarize"),
            ),
          ),
        ),
      );
    },
  };
}
