import { test } from "node:test";
import assert from "node:assert/strict";
import { createClient, attachmentBody } from "../static/js/api.js";
import { ApiError } from "../static/js/problem.js";
import { fakeFetch, sseResponse, jsonResponse } from "./helpers.js";

test("GET /me sends the bearer token and the JSON Accept header", async () => {
  const f = fakeFetch(() => jsonResponse(200, { user: "agent" }));
  const api = createClient({ base: "https://plume.example/", fetch: f, token: async () => "tok123" });
  const me = await api.me();
  assert.equal(me.user, "agent");
  assert.equal(f.calls[0].url, "https://plume.example/api/v1/me");
  assert.equal(f.calls[0].init.headers.Authorization, "Bearer tok123");
  assert.equal(f.calls[0].init.headers.Accept, "application/json");
  assert.equal(f.calls[0].init.credentials, "omit");
});

test("no token, no Authorization header", async () => {
  const f = fakeFetch(() => jsonResponse(200, { threads: [] }));
  await createClient({ fetch: f }).threads(5);
  assert.equal(f.calls[0].url, "/api/v1/threads?limit=5");
  assert.equal(f.calls[0].init.headers.Authorization, undefined);
});

test("a problem+json answer becomes an ApiError with its code, marking and sentences", async () => {
  const problem = { type: "urn:plume:problem:refused_marking", title: "Refused", status: 403, code: "refused_marking", marking: "DIFFUSION RESTREINTE", message: { fr: "Refusé.", en: "Refused." } };
  const f = fakeFetch(() => jsonResponse(403, problem, "application/problem+json"));
  const api = createClient({ fetch: f });
  await assert.rejects(api.summary({ source: "imap", messageId: "<a@b>" }, {}), (err) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, "refused_marking");
    assert.equal(err.problem.marking, "DIFFUSION RESTREINTE");
    return true;
  });
  const body = JSON.parse(f.calls[0].init.body);
  assert.deepEqual(body, { message: { source: "imap", messageId: "<a@b>" }, options: {} });
  assert.equal(f.calls[0].init.headers["Content-Type"], "application/json");
});

test("a non-JSON error maps the status, keeping Retry-After", async () => {
  const f = fakeFetch(() => new Response("slow down", { status: 429, headers: { "Retry-After": "12" } }));
  await assert.rejects(createClient({ fetch: f }).me(), (err) => err.code === "rate_limited" && err.problem.retryAfter === 12);
});

test("a network failure is the network problem", async () => {
  const f = fakeFetch(() => {
    throw new TypeError("Failed to fetch");
  });
  await assert.rejects(createClient({ fetch: f }).me(), (err) => err instanceof ApiError && err.code === "network");
});

test("an SSE answer streams tokens and progress, then returns the result", async () => {
  const result = { summary: { summary: "Bonjour" }, meta: { degraded: false } };
  const f = fakeFetch(() =>
    sseResponse([
      ["progress", { stage: "map", done: 1, total: 2 }],
      ["token", { text: "Bon" }],
      ["token", { text: "jour" }],
      ["progress", { stage: "map", done: 2, total: 2 }],
      ["result", result],
    ]),
  );
  const tokens = [];
  const progress = [];
  const got = await createClient({ fetch: f }).summary({ source: "imap", messageId: "<x>" }, { length: "short" }, {
    onToken: (t) => tokens.push(t),
    onProgress: (p) => progress.push(p.done + "/" + p.total),
  });
  assert.deepEqual(got, result);
  assert.deepEqual(tokens, ["Bon", "jour"]);
  assert.deepEqual(progress, ["1/2", "2/2"]);
  assert.equal(f.calls[0].init.headers.Accept, "text/event-stream");
});

test("an SSE error event is thrown as ApiError after the tokens", async () => {
  const f = fakeFetch(() => sseResponse([["token", { text: "x" }], ["error", { code: "model_timeout", status: 504 }]]));
  const tokens = [];
  await assert.rejects(createClient({ fetch: f }).reply({}, {}, { onToken: (t) => tokens.push(t) }), (err) => err.code === "model_timeout");
  assert.deepEqual(tokens, ["x"]);
});

test("an SSE stream that ends without a result is an error", async () => {
  const f = fakeFetch(() => sseResponse([["token", { text: "x" }]]));
  await assert.rejects(createClient({ fetch: f }).reply({}, {}, {}), (err) => err.code === "internal");
});

test("a server that answers JSON to a stream request still works", async () => {
  const f = fakeFetch(() => jsonResponse(200, { reply: { text: "ok" } }));
  const got = await createClient({ fetch: f }).reply({}, {}, { onToken() {} });
  assert.equal(got.reply.text, "ok");
});

test("actions are posted to /actions/{name} with their inputs", async () => {
  const f = fakeFetch(() => jsonResponse(200, { result: { text: "t" } }));
  await createClient({ fetch: f }).action("note de synthèse", { source: "imap", messageId: "<m>" }, { destinataire: "DGS" });
  assert.equal(f.calls[0].url, "/api/v1/actions/note%20de%20synth%C3%A8se");
  assert.deepEqual(JSON.parse(f.calls[0].init.body).inputs, { destinataire: "DGS" });
});

test("attachment summary by part path is JSON", async () => {
  const body = attachmentBody({ ref: { source: "imap", messageId: "<m>" }, attachment: { partPath: "2" }, options: { language: "fr" } });
  assert.deepEqual(body, { message: { source: "imap", messageId: "<m>" }, attachment: { partPath: "2" }, options: { language: "fr" } });
});

test("attachment summary by upload is multipart with file and options, no Content-Type set by hand", async () => {
  const f = fakeFetch(() => jsonResponse(200, { document: {} }));
  const file = new Blob(["%PDF-1.4"], { type: "application/pdf" });
  await createClient({ fetch: f }).attachmentSummary({ file, name: "arrêté.pdf", options: { language: "en" } });
  const init = f.calls[0].init;
  assert.ok(init.body instanceof FormData);
  assert.equal(init.headers["Content-Type"], undefined);
  const sent = init.body.get("file");
  assert.equal(sent.name, "arrêté.pdf");
  assert.equal(await sent.text(), "%PDF-1.4");
  assert.deepEqual(JSON.parse(init.body.get("options")), { language: "en" });
  assert.equal(init.body.get("message"), null);
});
