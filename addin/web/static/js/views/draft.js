// The « Courrier / Note » view: kind, addressee and instructions sent to
// POST /api/v1/draft; the parts the server returns (restored, guarded and
// laid out) shown as a read-only preview, streamed while written; the file
// downloaded as ODT or DOCX, or handed to the mail client — attached to a
// reply in Outlook (displayReplyFormAsync, or addFileAttachmentFromBase64Async
// on a compose item), to a reply compose window in Thunderbird. Plume never
// sends anything.

import { h, replace, uid, reveal } from "../dom.js";
import { t, getLanguage } from "../i18n.js";
import { base64ToBytes } from "../text.js";
import { renderMeta, renderProblem } from "./notices.js";
import { streamedTask } from "./task.js";
import { selectField } from "./reply.js";

/** kinds and formats offered, as the API names them. */
export const draftKinds = ["courrier", "note"];
export const draftFormats = ["odt", "docx"];

/** draftOptions builds the API options from the form's values. */
export function draftOptions(values, lang = getLanguage()) {
  const pick = (v, allowed, def) => (allowed.includes(v) ? v : def);
  const opts = {
    kind: pick(values.kind, draftKinds, "courrier"),
    format: pick(values.format, draftFormats, "odt"),
    language: lang,
  };
  const to = String(values.to || "").trim();
  if (to) opts.to = to.slice(0, 500);
  const instr = String(values.instructions || "").trim();
  if (instr) opts.instructions = instr.slice(0, 2000);
  return opts;
}

/** draftParts lists the parts of a draft in the order of the document, as
 * {label, text} pairs for the preview. */
export function draftParts(d) {
  if (!d) return [];
  const parts = [];
  const add = (label, text) => {
    const s = Array.isArray(text) ? text.filter(Boolean).join("\n") : String(text || "");
    if (s.trim()) parts.push({ label, text: s });
  };
  add("Bloc-marque", d.letterhead);
  add("Lieu et date", d.placeDate);
  // The contact lines say « Affaire suivie par : … » themselves.
  add("Coordonnées", d.contact);
  add(d.kind === "note" ? "À l'attention de" : "Destinataire", d.addressee);
  add("V/Réf.", d.yourRef);
  add(d.kind === "note" ? "Réf." : "N/Réf.", d.ourRef);
  add("Objet", d.object);
  add("P.J.", d.attachments);
  add("Appellation", d.appellation);
  add("Demande", d.ask);
  for (const s of d.body || []) add(s.title || "Corps", s.text);
  add("Proposition — décision attendue", d.proposal);
  add("Formule de politesse", d.closing);
  add("Signature", d.signature);
  return parts;
}

/** todoCount counts the [à compléter] placeholders left in a draft. */
export function todoCount(d) {
  return draftParts(d).reduce((n, p) => n + (p.text.match(/\[à compléter/g) || []).length, 0);
}

/** streamLabels name the model's JSON fields in the streamed preview; corps and texte are shown bare. */
const streamLabels = { objet: "Objet", vref: "V/Réf.", nref: "N/Réf.", pj: "P.J.", demande: "Demande", proposition: "Proposition" };

/**
 * streamedDraft turns the model's JSON, as far as it is written, into the
 * text of a preview: each string value in order, labelled (« Objet : … »),
 * the paragraphs and titled parts as they are; source references ([M1])
 * left out, as in the final draft.
 */
export function streamedDraft(raw) {
  const s = String(raw || "");
  const out = [];
  const stack = []; // "{" or "["
  let key = "";
  let expectValue = false;
  for (let i = s.indexOf("{"); i >= 0 && i < s.length; i++) {
    const c = s[i];
    if (c === "{" || c === "[") {
      stack.push(c);
      expectValue = c === "[";
    } else if (c === "}" || c === "]") {
      stack.pop();
      expectValue = false;
    } else if (c === ":") {
      expectValue = true;
    } else if (c === ",") {
      expectValue = stack[stack.length - 1] === "[";
    } else if (c === '"') {
      const m = /"((?:[^"\\]|\\.)*)("?)/sy;
      m.lastIndex = i;
      const r = m.exec(s);
      const text = unescapeJSON(r[1]);
      i = m.lastIndex - 1;
      if (!expectValue) {
        key = text;
        continue;
      }
      if (stack[stack.length - 1] !== "[") expectValue = false;
      const v = text.replace(/\s*\[(?:[MD]\d+(?:\s*[,;]\s*)?)+\]?/g, "").replace(/\s*\[[MD]?\d*$/, "");
      if (!v.trim()) continue;
      out.push(streamLabels[key] ? streamLabels[key] + " : " + v : v);
    }
  }
  return out.join("\n\n");
}

function unescapeJSON(s) {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)|\\$/gs, (all, e) => {
    if (!e) return "";
    if (e[0] === "u") return String.fromCharCode(parseInt(e.slice(1), 16));
    return { n: "\n", t: "\t", r: "", '"': '"', "\\": "\\", "/": "/", b: "", f: "" }[e] ?? e;
  });
}

/** attachFormat is the format handed to the mail client: Word's in Outlook, OpenDocument elsewhere. */
export function attachFormat(host) {
  return host && host.name === "outlook" ? "docx" : "odt";
}

/** fileBlob turns the answer's file ({name, mediaType, data: base64}) into a Blob of its media type. */
export function fileBlob(file) {
  return new Blob([base64ToBytes(file.data)], { type: file.mediaType || "application/octet-stream" });
}

/** download saves file through a link to an object URL (the panel's own document). */
export function download(doc, file) {
  const url = URL.createObjectURL(fileBlob(file));
  const a = doc.createElement("a");
  a.href = url;
  a.download = file.name;
  a.hidden = true;
  doc.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** createDraftView returns {el, setMessage(cur), setBlocked(reasonId)}. */
export function createDraftView(ctx) {
  const kind = selectField("kind", draftKinds, "draft.kind", "draft.kind.", "courrier");
  const toId = uid("to");
  const toHint = uid("hint");
  const to = h("input", { id: toId, name: "to", type: "text", autocomplete: "off", maxlength: "500", "aria-describedby": toHint });
  const instrId = uid("instr");
  const instructions = h("textarea", { id: instrId, name: "instructions", rows: "2", maxlength: "2000" });
  const write = h("button", { type: "button", class: "btn btn--primary", "data-action": "write-letter" }, t("draft.write"));
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const stream = h("div", { class: "stream", "aria-busy": "false", hidden: true, "data-role": "letter-stream" });
  const out = h("div", { class: "result", "data-role": "letter-result" });
  const el = h(
    "section",
    { class: "view" },
    kind.field,
    h("div", { class: "field" }, h("label", { for: toId }, t("draft.to")), h("p", { id: toHint, class: "hint" }, t("draft.toHint")), to),
    h("div", { class: "field" }, h("label", { for: instrId }, t("reply.instructions")), instructions),
    h("div", { class: "buttons" }, write),
    status,
    stream,
    out,
    h("p", { class: "hint" }, t("reply.neverSent")),
  );
  // drafted is the run whose draft is shown, with the options it was asked
  // with and the files received for it, by format.
  let drafted = null;
  let opts = null;
  const task = streamedTask({
    ctx,
    button: write,
    status,
    stream,
    out,
    writing: "draft.writing",
    ready: "draft.ready",
    preview: streamedDraft,
    request(ref, handlers) {
      drafted = null;
      opts = draftOptions({ kind: kind.el.value, to: to.value, instructions: instructions.value, format: attachFormat(ctx.host) });
      return ctx.api.draft(ref, opts, handlers);
    },
    onAnswer(answer, run) {
      drafted = { run, opts, files: {} };
      if (answer.draft && answer.draft.file) drafted.files[opts.format] = answer.draft.file;
      renderDraft(answer);
    },
  });
  write.addEventListener("click", () => task.start());

  // fileFor returns the file of the shown draft in format: the one received,
  // or asked for now (the server's cache answers the same draft; should it
  // differ, the preview shows the one in the file).
  async function fileFor(d, format) {
    if (d.files[format]) return d.files[format];
    const answer = await ctx.api.draft(await ctx.ref(d.run.message), { ...d.opts, format }, { signal: d.run.signal });
    if (!d.run.isCurrent() || drafted !== d) return null;
    const file = answer.draft && answer.draft.file;
    if (!file) throw new Error("draft: no file in the answer");
    d.files[format] = file;
    showParts(d.parts, answer.draft);
    return file;
  }

  // handOver runs what a file button does, only while the draft shown is the current message's.
  async function handOver(format, action, done) {
    const d = drafted;
    if (!d || !d.run.isCurrent()) return;
    // shown: the run's answer is current and is still the draft in the view.
    const shown = () => d.run.isCurrent() && drafted === d;
    replace(d.fileOut);
    d.fileStatus.textContent = t("draft.preparing");
    try {
      const file = await fileFor(d, format);
      if (!file || !shown()) return;
      const res = await action(file, d.run.message);
      if (!shown()) return;
      d.fileStatus.textContent = res && res.notice ? t(res.notice) : t(done, { name: file.name });
    } catch (err) {
      if (!shown()) return;
      d.fileStatus.textContent = "";
      replace(d.fileOut, renderProblem(err));
      reveal(d.fileOut);
    }
  }

  // showParts fills box with the parts of draft d.
  function showParts(box, d) {
    replace(box, h("dl", { class: "letter", "data-role": "letter-parts" }, draftParts(d).map((p) => [h("dt", {}, p.label), h("dd", {}, p.text)])));
  }

  // renderDraft shows the draft: what is left to complete and the file
  // buttons first (in view when it arrives), then the parts.
  function renderDraft(answer) {
    const d = answer.draft || {};
    const todo = todoCount(d);
    drafted.parts = h("div", {});
    drafted.fileStatus = h("p", { class: "status", role: "status", "aria-live": "polite", "data-role": "letter-file-status" });
    drafted.fileOut = h("div", { "data-role": "letter-file-result" });
    showParts(drafted.parts, d);
    const buttons = draftFormats.map((f) =>
      h(
        "button",
        { type: "button", class: "btn btn--secondary", "data-action": "download-" + f, onclick: () => handOver(f, async (file) => download(ctx.document, file), "draft.downloaded") },
        t("draft.download", { format: f.toUpperCase() }),
      ),
    );
    if (ctx.host.attachDraft) {
      const f = attachFormat(ctx.host);
      buttons.unshift(
        h(
          "button",
          { type: "button", class: "btn btn--primary", "data-action": "attach-letter", onclick: () => handOver(f, (file, msg) => ctx.host.attachDraft(file, msg), "draft.attached") },
          t("draft.attach", { format: f.toUpperCase() }),
        ),
      );
    }
    replace(
      out,
      h("h3", {}, t(d.kind === "note" ? "draft.previewNote" : "draft.previewCourrier")),
      renderMeta(answer.meta),
      todo ? h("p", { class: "notice notice--warning", "data-notice": "todo" }, t("draft.todo", { n: todo })) : null,
      h("div", { class: "buttons" }, buttons),
      drafted.fileStatus,
      drafted.fileOut,
      drafted.parts,
    );
  }

  return {
    el,
    setMessage(cur) {
      drafted = null;
      task.setMessage(cur);
    },
    setBlocked: task.setBlocked,
  };
}
