// Test helpers: fake fetch responses, and what an attachment upload sends.

import assert from "node:assert/strict";
import { createClient } from "../static/js/api.js";

/** sseBody returns a ReadableStream of the given SSE events, chunked oddly. */
export function sseBody(events) {
  const text = events.map(([ev, data]) => (ev ? "event: " + ev + "\n" : "") + "data: " + JSON.stringify(data) + "\n\n").join(": ping\n\n");
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(c) {
      for (let i = 0; i < bytes.length; i += 7) c.enqueue(bytes.slice(i, i + 7));
      c.close();
    },
  });
}

/** fakeFetch records calls and answers with respond(url, init). */
export function fakeFetch(respond) {
  const calls = [];
  const fn = async (url, init = {}) => {
    calls.push({ url, init });
    return respond(url, init);
  };
  fn.calls = calls;
  return fn;
}

/** sseResponse is a 200 text/event-stream response. */
export function sseResponse(events) {
  return new Response(sseBody(events), { status: 200, headers: { "Content-Type": "text/event-stream; charset=utf-8" } });
}

/** jsonResponse is a JSON response. */
export function jsonResponse(status, body, type = "application/json", headers = {}) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": type, ...headers } });
}

/** panelCtx is the part of the panel's context the attachment requests use (as app.js builds it). */
export function panelCtx(host, cur) {
  return { host, current: () => cur, ref: async (c) => (host.messageRef ? host.messageRef(c) : c.ref) };
}

/** sentUpload sends req through the API client and returns the multipart fields sent. */
export async function sentUpload(req) {
  const f = fakeFetch(() => jsonResponse(200, { document: {} }));
  await createClient({ fetch: f }).attachmentSummary(req);
  const form = f.calls[0].init.body;
  assert.ok(form instanceof FormData, "an upload is multipart");
  const message = form.get("message");
  return { file: form.get("file"), message: message === null ? null : JSON.parse(message), options: JSON.parse(form.get("options")) };
}
