import { test } from "node:test";
import assert from "node:assert/strict";
import { draftOptions, draftParts, todoCount, streamedDraft, attachFormat, fileBlob } from "../static/js/views/draft.js";
import { askQuestion, answerModel, streamedAnswer } from "../static/js/views/ask.js";
import { createClient } from "../static/js/api.js";
import { blockedBy, taskOfView, tabNames } from "../static/js/app.js";
import { fakeFetch, sseResponse, jsonResponse } from "./helpers.js";
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
  assert.deepEqual(labels.slice(0, 5), ["Bloc-marque", "Lieu et date", "Coordonnées", "Destinataire", "V/Réf."]);
  assert.ok(labels.indexOf("Objet") < labels.indexOf("Appellation"));
  assert.equal(labels.at(-1), "Signature");
  assert.ok(!labels.includes("P.J."), "no empty part");
  assert.equal(todoCount(draft), 1);
});

test("the file is handed over in the host's format, as a Blob of its media type", async () => {
  assert.equal(attachFormat({ name: "outlook" }), "docx");
  assert.equal(attachFormat({ name: "thunderbird" }), "odt");
  assert.equal(attachFormat({ name: "browser" }), "odt");
  const file = { name: "courrier-subvention-detr.odt", mediaType: "application/vnd.oasis.opendocument.text", data: Buffer.from("PK\x03\x04mimetype").toString("base64") };
  const blob = fileBlob(file);
  assert.equal(blob.type, "application/vnd.oasis.opendocument.text");
  assert.deepEqual([...new Uint8Array(await blob.arrayBuffer())].slice(0, 4), [0x50, 0x4b, 3, 4]);
});

test("the draft streams as readable parts, whatever the JSON has reached", () => {
  const json = '{"objet": "Subvention DETR 2026", "vref": "", "pj": ["délibération"], "corps": ["Par courriel du 3 février [M1], vous avez sollicité…", "Le dossier sera instruit [à compléter]."]}';
  assert.equal(streamedDraft(json), "Objet : Subvention DETR 2026\n\nP.J. : délibération\n\nPar courriel du 3 février, vous avez sollicité…\n\nLe dossier sera instruit [à compléter].");
  // Every prefix reads: no key, no brace, no half reference.
  for (let i = 0; i <= json.length; i++) {
    const shown = streamedDraft(json.slice(0, i));
    assert.ok(!/["{}]|corps|\[M/.test(shown), i + ": " + shown);
  }
  assert.equal(streamedDraft('```json\n{"objet": "Réunion du 12 \\"juin\\"\\n'), 'Objet : Réunion du 12 "juin"\n');
  const note = '{"objet": "Visite", "parties": [{"titre": "I. Contexte", "texte": "Le ministre vient."}], "proposition": "Valider"}';
  assert.equal(streamedDraft(note), "Objet : Visite\n\nI. Contexte\n\nLe ministre vient.\n\nProposition : Valider");
  assert.equal(streamedDraft(""), "");
});

test("the API client asks for a draft and a question with the thread routes' shape", async () => {
  const f = fakeFetch((url) =>
    url.endsWith("/draft") ? jsonResponse(200, { draft: { kind: "note" } }) : sseResponse([["token", { text: "Le 12 février [M1]" }], ["result", { answer: { text: "x", found: true, citations: [] } }]]),
  );
  const api = createClient({ fetch: f });
  const ref = { source: "imap", messageId: "<m@x>" };
  await api.draft(ref, draftOptions({ kind: "note", format: "docx", to: "Monsieur le Préfet" }, "fr"));
  const tokens = [];
  const res = await api.ask(ref, "Quelle date ?", { language: "fr" }, { onToken: (t) => tokens.push(t) });
  assert.equal(f.calls[0].url, "/api/v1/draft");
  assert.deepEqual(JSON.parse(f.calls[0].init.body), { message: ref, options: { kind: "note", format: "docx", language: "fr", to: "Monsieur le Préfet" } });
  assert.equal(f.calls[1].url, "/api/v1/thread/ask");
  assert.deepEqual(JSON.parse(f.calls[1].init.body), { message: ref, question: "Quelle date ?", options: { language: "fr" } });
  assert.equal(f.calls[1].init.headers.Accept, "text/event-stream");
  assert.deepEqual(tokens, ["Le 12 février [M1]"]);
  assert.equal(res.answer.found, true);
});

test("a marked message disables the courrier and the question with the others", () => {
  assert.ok(tabNames.includes("draft"));
  assert.equal(taskOfView.draft, "draft");
  assert.equal(taskOfView.ask, "ask");
  const p = { code: "refused_marking", marking: "DIFFUSION RESTREINTE" };
  const b = blockedBy({ markings: ["DIFFUSION RESTREINTE"], refused: { summary: p, reply: p, action: p, document: p, draft: p, ask: p } });
  assert.deepEqual(b.views, { summary: true, ask: true, reply: true, draft: true, actions: true, attachments: true });
  // An endpoint that serves questions but not drafts: only the courrier is disabled.
  assert.deepEqual(blockedBy({ refused: { draft: p } }).views, { draft: true });
});

test("a question is sent only when asked, and answered with its sources", () => {
  assert.equal(askQuestion("   "), null);
  assert.equal(askQuestion(" Quelle date ? "), "Quelle date ?");
  assert.equal(askQuestion("x".repeat(1200)).length, 1000);
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
