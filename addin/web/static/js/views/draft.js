// The « Courrier / Note » view's logic: the options sent to POST
// /api/v1/draft, the preview of the parts the server returns (restored,
// guarded and laid out), and the file: downloaded in a browser, attached to
// a reply or a new message in Outlook (addFileAttachmentFromBase64Async),
// opened in a compose window in Thunderbird. Plume never sends anything.

/** kinds and formats offered, as the API names them. */
export const draftKinds = ["courrier", "note"];
export const draftFormats = ["odt", "docx"];

/** draftOptions builds the API options from the form's values. */
export function draftOptions(values, lang = "fr") {
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
  add("Affaire suivie par", d.contact);
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

/** attachPlan says how the host hands the file over: "outlook" attaches it
 * to the open reply or new message, "thunderbird" opens a compose window
 * with it, "download" saves it. */
export function attachPlan(host, file) {
  if (!file || !file.data) return { how: "none" };
  if (host && host.kind === "outlook") {
    return { how: "outlook", call: "addFileAttachmentFromBase64Async", args: [file.data, file.name] };
  }
  if (host && host.kind === "thunderbird") {
    return { how: "thunderbird", call: "compose.beginNew", attachments: [{ name: file.name, type: file.mediaType, base64: file.data }] };
  }
  return { how: "download", name: file.name, href: "data:" + file.mediaType + ";base64," + file.data };
}
