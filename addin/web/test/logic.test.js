import { test } from "node:test";
import assert from "node:assert/strict";
import { describe } from "../static/js/problem.js";
import { setLanguage, keys, t } from "../static/js/i18n.js";
import { deadlineStatus, formatDay } from "../static/js/deadline.js";
import { textToHTML, replyBodies, fitHTML, byteLength, streamPreview, formatSize } from "../static/js/text.js";
import { summaryModel, summaryText, dueLabel } from "../static/js/views/summary.js";
import { replyOptions } from "../static/js/views/reply.js";
import { normaliseActions, missingInputs, collectInputs } from "../static/js/views/actions.js";
import { documentModel, progressState, uploadPlan } from "../static/js/views/attachments.js";
import { metaNotices } from "../static/js/views/notices.js";
import { modelLines } from "../static/js/views/settings.js";
import { nextTab, threadLabel, visibleTabs, tabNames, blockedBy } from "../static/js/app.js";

const contractCodes = ["unauthorized", "forbidden", "bad_request", "too_large", "rate_limited", "message_not_found", "attachment_not_found", "mail_unavailable", "mail_timeout", "mail_auth_failed", "model_unavailable", "model_timeout", "refused_marking", "refused_encrypted", "unsupported_document", "document_protected", "no_text", "invalid_output", "unknown_action", "not_implemented", "internal"];

test("French and English have the same keys and the same placeholders", () => {
  const fr = keys("fr");
  assert.deepEqual([...fr].sort(), [...keys("en")].sort());
  for (const k of fr) {
    setLanguage("fr");
    const a = (t(k).match(/\{\w+\}/g) || []).sort();
    setLanguage("en");
    const b = (t(k).match(/\{\w+\}/g) || []).sort();
    assert.deepEqual(a, b, k);
  }
  setLanguage("fr");
});

test("every contract problem code has a hint in both languages", () => {
  for (const lang of ["fr", "en"]) {
    for (const code of contractCodes) assert.ok(keys(lang).includes("hint." + code), lang + " " + code);
  }
});

const problemCases = [
  { name: "refusal with marking, French", lang: "fr", p: { code: "refused_marking", marking: "DIFFUSION RESTREINTE", message: { fr: "Refusé FR", en: "Refused EN" } }, kind: "refusal", text: "Refusé FR", marking: "DIFFUSION RESTREINTE", hint: /modèle habilité/ },
  { name: "refusal, English", lang: "en", p: { code: "refused_encrypted", message: { fr: "Chiffré", en: "Encrypted" } }, kind: "refusal", text: "Encrypted", marking: "", hint: /never sent/ },
  { name: "rate limited with seconds", lang: "fr", p: { code: "rate_limited", retryAfter: 30 }, kind: "error", text: /./, marking: "", hint: /30 secondes/ },
  { name: "code from the type URN", lang: "fr", p: { type: "urn:plume:problem:no_text", title: "No text" }, kind: "error", text: "No text", marking: "", hint: /numérisé/ },
  { name: "network", lang: "fr", p: { code: "network" }, kind: "error", text: /ne répond pas/, marking: "", hint: /connexion réseau/ },
  { name: "another message open (the panel's own)", lang: "fr", p: { code: "message_changed" }, kind: "error", text: /autre message est ouvert/, marking: "", hint: /message ouvert/ },
  { name: "unknown code", lang: "en", p: { code: "weird" }, kind: "error", text: /unexpected/, marking: "", hint: /Retry/ },
  { name: "English missing falls back to French", lang: "en", p: { code: "internal", message: { fr: "Erreur" } }, kind: "error", text: "Erreur", marking: "", hint: /support/ },
];

for (const c of problemCases) {
  test("describe: " + c.name, () => {
    setLanguage(c.lang);
    const d = describe(c.p);
    setLanguage("fr");
    assert.equal(d.kind, c.kind);
    if (c.text instanceof RegExp) assert.match(d.text, c.text);
    else assert.equal(d.text, c.text);
    assert.equal(d.marking, c.marking);
    assert.match(d.hint, c.hint);
  });
}

const today = new Date(2025, 2, 10, 15, 30); // 10 March 2025, local time
const deadlineCases = [
  ["", "none"],
  ["demain", "none"],
  ["2025-02-30", "none"],
  ["2025-03-09", "overdue"],
  ["2025-03-10", "soon"],
  ["2025-03-13", "soon"],
  ["2025-03-14", "later"],
  ["2026-01-01", "later"],
];
for (const [due, want] of deadlineCases) {
  test(`deadlineStatus(${JSON.stringify(due)}) = ${want}`, () => assert.equal(deadlineStatus(due, today), want));
}

test("formatDay renders French and English dates", () => {
  assert.equal(formatDay("2025-03-14", "fr"), "14/03/2025");
  assert.equal(formatDay("2025-03-14", "en"), "14/03/2025");
  assert.equal(formatDay("bientôt", "fr"), "bientôt");
});

test("textToHTML escapes and keeps paragraphs and line breaks", () => {
  assert.equal(textToHTML("Madame,\n\nVu <l'arrêté> & co\nsigné"), "<p>Madame,</p>\n<p>Vu &lt;l&#39;arrêté&gt; &amp; co<br>signé</p>");
});

const replyBodiesCases = [
  { name: "unedited draft: the server's html is not used", reply: { text: "Bonjour,\n\nMerci.", html: "<p>Bonjour,</p><p><b>Merci.</b></p>" }, edited: "Bonjour,\n\nMerci.\n", html: "<p>Bonjour,</p>\n<p>Merci.</p>" },
  { name: "edited draft", reply: { text: "Bonjour,\n\nMerci.", html: "<p>Bonjour,</p><p>Merci.</p>" }, edited: "Bonjour,\n\nMerci beaucoup.", html: "<p>Bonjour,</p>\n<p>Merci beaucoup.</p>" },
  { name: "no html from the server", reply: { text: "a" }, edited: "a", html: "<p>a</p>" },
  { name: "text only from the reply", reply: { text: "Ligne 1\nLigne 2" }, edited: undefined, html: "<p>Ligne 1<br>Ligne 2</p>" },
  {
    name: "hostile html beside an identical text is dropped",
    reply: { text: "Madame,\n\nVeuillez cliquer.", html: '<p>Madame,</p><p>Veuillez <a href="https://evil.example/">cliquer</a>.</p><img src="https://evil.example/t.gif"><script>alert(1)</script>' },
    edited: "Madame,\n\nVeuillez cliquer.",
    html: "<p>Madame,</p>\n<p>Veuillez cliquer.</p>",
  },
  { name: "markup in the text is escaped", reply: { text: "x", html: "<p>x</p>" }, edited: '<b>Objet</b> & "suite" <img src=x onerror=alert(1)>', html: "<p>&lt;b&gt;Objet&lt;/b&gt; &amp; &quot;suite&quot; &lt;img src=x onerror=alert(1)&gt;</p>" },
];

for (const c of replyBodiesCases) {
  test("replyBodies rebuilds the html from the text: " + c.name, () => {
    const got = replyBodies(c.reply, c.edited);
    assert.equal(got.html, c.html);
    assert.equal(got.text, typeof c.edited === "string" ? c.edited : c.reply.text);
    assert.doesNotMatch(got.html, /<(?!\/?(p|br)>)/, "only <p> and <br> elements");
  });
}

test("fitHTML keeps small HTML, falls back to plain text, then truncates under the limit", () => {
  assert.deepEqual(fitHTML("<p>x</p>", "x", 100), { html: "<p>x</p>", mode: "html" });
  const text = "mot ".repeat(50).trim();
  const rich = "<p style='color:#000'>" + text.split(" ").join("</p><p style='color:#000'>") + "</p>";
  const plain = fitHTML(rich, text, 300);
  assert.equal(plain.mode, "plain");
  assert.equal(plain.html, "<p>" + text + "</p>");
  const long = "Le préfet décide ".repeat(3000);
  const cut = fitHTML(textToHTML(long), long);
  assert.equal(cut.mode, "truncated");
  assert.ok(byteLength(cut.html) <= 32 * 1024, "fits 32 KB");
  assert.ok(byteLength(cut.html) > 30 * 1024, "keeps most of the text");
  assert.match(cut.html, /\[…\]<\/p>$/);
});

test("streamPreview shows plain text as is and the summary field of streamed JSON", () => {
  assert.equal(streamPreview("Bonjour"), "Bonjour");
  assert.equal(streamPreview('{"summary": "Le pré'), "Le pré");
  assert.equal(streamPreview('{"summary": "Ligne\\nsuite \\"citée\\" \\u00e9'), 'Ligne\nsuite "citée" é');
  assert.equal(streamPreview('{"summary": "fini", "keyPoints": ['), "fini");
  assert.equal(streamPreview('{"keyP'), "");
});

test("formatSize", () => {
  assert.equal(formatSize(512, "fr"), "512 o");
  assert.equal(formatSize(1536, "fr"), "1,5 Ko");
  assert.equal(formatSize(1536, "en"), "1.5 KB");
  assert.equal(formatSize(25 * 1024 * 1024, "fr"), "25 Mo");
});

const sampleSummary = {
  summary: "Réunion de préparation du conseil.",
  keyPoints: ["Budget validé", ""],
  decisions: ["Report au 14 mars"],
  openQuestions: [],
  actionItems: [
    { who: "M. Martin", what: "Envoyer l'ordre du jour", due: "2025-03-12", dueText: "mercredi" },
    { who: "", what: "Réserver la salle", due: "", dueText: "avant la fin du mois" },
    { who: "Mme Durand", what: "Relancer la DDT", due: "2025-03-01", dueText: "" },
  ],
  participants: [{ name: "Claire Durand", role: "cheffe de bureau" }],
};

test("summaryModel keeps non-empty sections and flags deadlines", () => {
  const m = summaryModel(sampleSummary, today);
  assert.deepEqual(m.sections.map((s) => s.key), ["keyPoints", "decisions"]);
  assert.deepEqual(m.sections[0].items, ["Budget validé"]);
  assert.deepEqual(m.actions.map((a) => a.status), ["soon", "none", "overdue"]);
  assert.equal(summaryModel(null, today).text, "");
});

test("summaryText is readable plain text", () => {
  setLanguage("fr");
  const s = summaryText(summaryModel(sampleSummary, today), "fr");
  assert.match(s, /^Réunion de préparation du conseil\.\n\nPoints clés :\n- Budget validé/);
  assert.match(s, /- M\. Martin : Envoyer l'ordre du jour \(échéance 12\/03\/2025\)/);
  assert.match(s, /- Réserver la salle \(avant la fin du mois\)/);
  assert.match(s, /Participants :\n- Claire Durand \(cheffe de bureau\)$/);
});

test("replyOptions keeps only known values and trims instructions", () => {
  assert.deepEqual(replyOptions({ tone: "cordial", length: "short", kind: "ack", instructions: "  merci  " }, "fr"), { tone: "cordial", length: "short", kind: "ack", language: "fr", replyAll: false, instructions: "merci" });
  assert.deepEqual(replyOptions({ tone: "rude", length: "huge", kind: "spam" }, "en"), { tone: "formel", length: "standard", kind: "reply", language: "en", replyAll: false });
});

test("actions: only declared inputs are asked and sent", () => {
  const [a, b] = normaliseActions([
    { name: "note", label: "Note de synthèse", inputs: [{ name: "dest", label: "Destinataire", required: true }, { name: "ton", label: "Ton" }] },
    { name: "ar", label: "Accusé" },
    { label: "no name" },
  ]);
  assert.equal(b.inputs.length, 0);
  assert.deepEqual(missingInputs(a, { dest: " ", ton: "x" }), ["Destinataire"]);
  assert.deepEqual(missingInputs(a, { dest: "DGS" }), []);
  assert.deepEqual(collectInputs(a, { dest: " DGS ", ton: "", other: "zzz" }), { dest: "DGS" });
});

test("documentModel merges deadlines and counts", () => {
  const m = documentModel({ name: "arrete.pdf", summary: "Arrêté", keyPoints: ["a"], deadlines: [{ what: "Recours", due: "2025-03-11" }], pages: 3, skipped: ["images"] }, today);
  assert.deepEqual(m.counts, [{ key: "attachments.pages", n: 3 }]);
  assert.equal(m.actions[0].status, "soon");
  assert.deepEqual(m.skipped, ["images"]);
});

test("progressState and uploadPlan", () => {
  setLanguage("fr");
  assert.deepEqual(progressState({ stage: "map", done: 2, total: 5 }), { value: 2, max: 5, label: "Morceau 2 sur 5" });
  assert.equal(progressState({ done: 1 }), null);
  assert.deepEqual(uploadPlan({ partPath: "2" }, "partPath"), { by: "partPath", attachment: { partPath: "2" } });
  assert.deepEqual(uploadPlan({ id: "AAA" }, "id"), { by: "id", attachment: { id: "AAA" } });
  assert.deepEqual(uploadPlan({ partPath: "2" }, "upload"), { by: "upload" });
  assert.deepEqual(uploadPlan({}, "partPath"), { by: "upload" });
});

test("metaNotices says only what changes how to read the answer: degraded mode, cuts, removed links", () => {
  const keysOf = (meta) => metaNotices(meta).map((n) => n.key);
  assert.deepEqual(keysOf({ degraded: true }), ["notice.degraded"]);
  // Masked data counts, markings (shown by the header badge), the cache and the model's name are clutter.
  assert.deepEqual(keysOf({ degraded: false, cut: ["message 1"], pseudonymized: { email: 2, phone: 1 }, markings: ["DR"], guard: { removed: 1 }, cached: true, model: "fake-model" }), ["notice.cut", "notice.guard"]);
  assert.deepEqual(metaNotices({ pseudonymized: { email: 15 } }), []);
  assert.deepEqual(metaNotices(undefined), []);
});

test("a deadline is said once", () => {
  setLanguage("fr");
  const today = new Date(2026, 6, 20);
  const label = (due, dueText = "") => dueLabel({ due, dueText, status: deadlineStatus(due, today) }, "fr");
  assert.equal(label("2026-07-15"), "échéance dépassée : 15/07/2026");
  assert.equal(label("2026-07-21"), "échéance proche : 21/07/2026");
  assert.equal(label("2026-09-01"), "échéance 01/09/2026");
  assert.equal(label("", "avant l'été"), "avant l'été");
  assert.equal(label("2026-07-15").match(/échéance/g).length, 1);
});

test("settings describe the models", () => {
  setLanguage("fr");
  assert.deepEqual(modelLines({ models: [{ name: "albert", model: "albert-large", cleared: ["DIFFUSION RESTREINTE"] }, { name: "m", model: "m", cleared: [] }] }), ["albert-large (albert) — habilité pour : DIFFUSION RESTREINTE", "m — aucune mention de protection"]);
  assert.deepEqual(modelLines({}), []);
});

test("tab keyboard navigation wraps around the visible tabs", () => {
  assert.equal(nextTab("summary", "ArrowRight"), "reply");
  assert.equal(nextTab("summary", "ArrowLeft"), "settings");
  assert.equal(nextTab("settings", "ArrowRight"), "summary");
  assert.equal(nextTab("reply", "End"), "settings");
  assert.equal(nextTab("reply", "Home"), "summary");
  assert.equal(nextTab("reply", "Enter"), null);
  const shown = visibleTabs({ actions: [] });
  assert.equal(nextTab("draft", "ArrowRight", shown), "attachments");
});

test("the Actions tab is shown only when the organisation offers actions", () => {
  assert.deepEqual(visibleTabs({ actions: [] }), ["summary", "reply", "draft", "attachments", "settings"]);
  assert.deepEqual(visibleTabs(null), ["summary", "reply", "draft", "attachments", "settings"]);
  assert.deepEqual(visibleTabs({ actions: [{ name: "ar" }] }), tabNames);
});

test("every tab has a short label that fits one row", () => {
  for (const lang of ["fr", "en"]) {
    setLanguage(lang);
    // About 7 px per character at 14 px bold, 12 px of padding and 2 of gap per tab:
    // the usual tabs in 320 px less the margins, with the organisation's Actions in 400 px.
    for (const [tabs, width] of [[visibleTabs(null), 300], [tabNames, 380]]) {
      const total = tabs.map((n) => t("tab.short." + n).length).reduce((a, b) => a + b, 0);
      assert.ok(total * 7 + tabs.length * 14 <= width, lang + ": tab labels too long (" + total + " characters) for " + width + " px");
    }
  }
  setLanguage("fr");
});

test("blockedBy reads POST /thread/check: refused views and one sentence", () => {
  setLanguage("fr");
  assert.equal(blockedBy({ markings: [], refused: {} }), null);
  assert.equal(blockedBy(undefined), null);
  const p = { code: "refused_marking", marking: "DIFFUSION RESTREINTE" };
  const b = blockedBy({ markings: ["DIFFUSION RESTREINTE"], refused: { summary: p, reply: p, action: p, document: p } });
  assert.deepEqual(b.views, { summary: true, reply: true, actions: true, attachments: true });
  assert.equal(t(b.key, b.vars), "Mention « DIFFUSION RESTREINTE » : aucun modèle habilité n'est disponible, Plume ne peut pas traiter ce message.");
  assert.ok(!/refused_marking|Code/.test(t(b.key, b.vars)));
  // An endpoint cleared for replies only: the reply stays enabled.
  assert.deepEqual(blockedBy({ markings: ["DR"], refused: { summary: p } }).views, { summary: true });
  assert.equal(blockedBy({ refused: { reply: { code: "refused_encrypted" } } }).key, "check.encrypted");
});

test("threadLabel shows markings and counts", () => {
  assert.equal(threadLabel({ subject: "Budget", markings: ["DIFFUSION RESTREINTE"], count: 3 }), "[DIFFUSION RESTREINTE] Budget (3)");
  assert.equal(threadLabel({ subject: "", count: 1 }), "—");
});
