import { test } from "node:test";
import assert from "node:assert/strict";
import { draftOptions, draftParts, todoCount, attachPlan } from "../static/js/views/draft.js";
import { askBody, answerModel, streamedAnswer } from "../static/js/views/ask.js";
import { kinds } from "../static/js/views/reply.js";
import { t, setLanguage } from "../static/js/i18n.js";

const draft = {
  kind: "courrier", letterhead: ["PRÉFET DE SEINE-ET-MARNE"], placeDate: "Melun, le 5 décembre 2026",
  contact: ["Affaire suivie par : Paul Bernard"], addressee: ["Monsieur le Maire de Provins"], yourRef: "Votre courriel du 4 juillet 2024",
  object: "Subvention DETR", attachments: [], appellation: "Monsieur le Maire,", body: [{ text: "Par courriel du 4 juillet 2024…" }, { text: "[à compléter : réponse sur le fond]" }],
  closing: "Je vous prie d'agréer…", signature: ["Pour le préfet et par délégation,", "le secrétaire général"],
};

test("draft options are checked and trimmed", () => {
  assert.deepEqual(draftOptions({ kind: "lettre", format: "pdf", to: "  Monsieur le Maire ", instructions: "" }, "fr"),
    { kind: "courrier", format: "odt", language: "fr", to: "Monsieur le Maire" });
  assert.equal(draftOptions({ kind: "note", format: "docx" }).kind, "note");
  assert.equal(draftOptions({ instructions: "x".repeat(3000) }).instructions.length, 2000);
});

test("the preview lists the parts in the order of the letter", () => {
  const labels = draftParts(draft).map((p) => p.label);
  assert.deepEqual(labels.slice(0, 5), ["Bloc-marque", "Lieu et date", "Affaire suivie par", "Destinataire", "V/Réf."]);
  assert.ok(labels.indexOf("Objet") < labels.indexOf("Appellation"));
  assert.equal(labels.at(-1), "Signature");
  assert.ok(!labels.includes("P.J."), "no empty part");
  assert.equal(todoCount(draft), 1);
});

test("the file goes to Outlook, Thunderbird or a download", () => {
  const file = { name: "courrier-subvention-detr.odt", mediaType: "application/vnd.oasis.opendocument.text", data: "UEsDBA==" };
  assert.deepEqual(attachPlan({ kind: "outlook" }, file).args, ["UEsDBA==", "courrier-subvention-detr.odt"]);
  assert.equal(attachPlan({ kind: "outlook" }, file).call, "addFileAttachmentFromBase64Async");
  assert.equal(attachPlan({ kind: "thunderbird" }, file).attachments[0].name, file.name);
  assert.match(attachPlan({ kind: "browser" }, file).href, /^data:application\/vnd\.oasis\.opendocument\.text;base64,UEsDBA==$/);
  assert.equal(attachPlan({ kind: "outlook" }, null).how, "none");
});

test("a question is sent only when asked, and answered with its sources", () => {
  assert.equal(askBody({ source: "raw" }, "   "), null);
  assert.deepEqual(askBody({ source: "raw" }, " Quelle date ? ", "fr"), { message: { source: "raw" }, question: "Quelle date ?", options: { language: "fr" } });
  const m = answerModel({ text: "Avant le 15 juillet (Claire Martin, 4 juillet 2024).", found: true, citations: [{ ref: "M1", source: "Claire Martin, 4 juillet 2024" }] });
  assert.deepEqual(m.sources, ["Claire Martin, 4 juillet 2024"]);
  assert.equal(answerModel({ text: "Le fil ne le précise pas.", found: false }).found, false);
  assert.equal(streamedAnswer("Avant le 15 juillet [M1] et [D1, M2]."), "Avant le 15 juillet (…) et (…).");
});

test("the accusé de réception kind is offered and named in both languages", () => {
  assert.ok(kinds.includes("accuse_reception"));
  for (const lang of ["fr", "en"]) {
    setLanguage(lang);
    assert.notEqual(t("kind.accuse_reception"), "kind.accuse_reception");
  }
  setLanguage("fr");
});
