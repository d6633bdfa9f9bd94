// Runs (run.js) through the real API client: a request made for one message
// is aborted when the panel moves to another, and whatever it answers late
// is dropped — never handed to the view, so never rendered nor insertable.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createRuns, perform } from "../static/js/run.js";
import { createClient } from "../static/js/api.js";
import { fakeFetch, sseResponse } from "./helpers.js";

const msgA = { ref: { source: "imap", messageId: "<a@prefecture.gouv.fr>" }, subject: "A" };
const msgB = { ref: { source: "imap", messageId: "<b@prefecture.gouv.fr>" }, subject: "B" };

function abortError() {
  return new DOMException("The operation was aborted.", "AbortError");
}

/**
 * heldFetch answers with an SSE stream that sends one token, then waits for
 * release() to send the rest; like fetch, it honours init.signal (an aborted
 * signal rejects the call, an abort later errors the body).
 */
function heldFetch() {
  let release;
  const released = new Promise((r) => (release = r));
  const enc = new TextEncoder();
  const f = fakeFetch(async (url, init) => {
    if (init.signal && init.signal.aborted) throw abortError();
    const body = new ReadableStream({
      async start(c) {
        init.signal?.addEventListener("abort", () => c.error(abortError()));
        c.enqueue(enc.encode('event: token\ndata: {"text":"Madame, "}\n\n'));
        await released;
        if (init.signal?.aborted) return;
        c.enqueue(enc.encode('event: token\ndata: {"text":"Monsieur,"}\n\n'));
        c.enqueue(enc.encode('event: result\ndata: {"reply":{"text":"Madame, Monsieur,"}}\n\n'));
        c.close();
      },
    });
    return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
  });
  f.release = () => release();
  return f;
}

/** view records what perform hands to a view. */
function view() {
  const seen = { tokens: [], answers: [], errors: [] };
  return {
    seen,
    handlers: { onAnswer: (a) => seen.answers.push(a), onError: (e) => seen.errors.push(e) },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

test("runs: changing message aborts the request in flight and drops its answer", async () => {
  let current = msgA;
  const runs = createRuns(() => current);
  const f = heldFetch();
  const api = createClient({ fetch: f });
  const v = view();
  const run = runs.start(msgA);
  const done = perform(run, ({ signal }) => api.reply(msgA.ref, {}, { signal, onToken: run.guard((t) => v.seen.tokens.push(t)) }), v.handlers);
  await tick();
  assert.deepEqual(v.seen.tokens, ["Madame, "], "the stream started for A");

  current = msgB; // the host announces B; the app cancels the runs
  runs.cancel();
  f.release();
  assert.equal(await done, false);
  assert.ok(f.calls[0].init.signal.aborted, "the fetch was given the run's signal, now aborted");
  assert.equal(run.isCurrent(), false);
  assert.deepEqual(v.seen.answers, [], "A's answer is never handed to the view");
  assert.deepEqual(v.seen.errors, [], "nor is the abort shown as an error");
  assert.deepEqual(v.seen.tokens, ["Madame, "], "no token of A after the change");
});

test("runs: an answer for a message no longer shown is dropped even before the cancel", async () => {
  // Outlook switches mailbox.item before ItemChanged reaches the pane: the
  // answer completes in between. It is for A while the panel is on B.
  let current = msgA;
  const runs = createRuns(() => current);
  const f = fakeFetch(async () => sseResponse([["token", { text: "Bonjour" }], ["result", { reply: { text: "Bonjour" } }]]));
  const api = createClient({ fetch: f });
  const v = view();
  const run = runs.start(msgA);
  const done = perform(
    run,
    async ({ signal }) => {
      current = msgB;
      return api.reply(msgA.ref, {}, { signal, onToken: run.guard((t) => v.seen.tokens.push(t)) });
    },
    v.handlers,
  );
  assert.equal(await done, false);
  assert.deepEqual(v.seen, { tokens: [], answers: [], errors: [] });
});

test("runs: the answer, or the error, for the current message is handed to the view", async () => {
  const runs = createRuns(() => msgA);
  const ok = createClient({ fetch: fakeFetch(async () => sseResponse([["token", { text: "Bon" }], ["token", { text: "jour" }], ["result", { reply: { text: "Bonjour" } }]])) });
  const v = view();
  const run = runs.start(msgA);
  assert.equal(await perform(run, ({ signal }) => ok.reply(msgA.ref, {}, { signal, onToken: run.guard((t) => v.seen.tokens.push(t)) }), v.handlers), true);
  assert.deepEqual(v.seen.tokens, ["Bon", "jour"]);
  assert.deepEqual(v.seen.answers, [{ reply: { text: "Bonjour" } }]);
  assert.ok(run.isCurrent(), "a finished run stays current: its draft may be inserted");

  const failing = createClient({ fetch: fakeFetch(async () => sseResponse([["error", { code: "refused_marking" }]])) });
  const w = view();
  const run2 = runs.start(msgA);
  assert.equal(await perform(run2, ({ signal }) => failing.summary(msgA.ref, {}, { signal }), w.handlers), false);
  assert.equal(w.seen.errors.length, 1);
  assert.equal(w.seen.errors[0].code, "refused_marking");
});

test("runs: a run cancelled while its reference is read sends nothing", async () => {
  // Thunderbird raw mode reads the MIME before the request: the agent may move meanwhile.
  let current = msgA;
  const runs = createRuns(() => current);
  const f = heldFetch();
  const api = createClient({ fetch: f });
  const v = view();
  const run = runs.start(msgA);
  let readRef;
  const refRead = new Promise((r) => (readRef = r));
  const done = perform(
    run,
    async ({ signal }) => {
      const ref = await refRead;
      return api.summary(ref, {}, { signal });
    },
    v.handlers,
  );
  current = msgB;
  runs.cancel();
  readRef(msgA.ref);
  assert.equal(await done, false);
  assert.equal(f.calls.length, 1);
  assert.ok(f.calls[0].init.signal.aborted, "the only fetch started already aborted");
  assert.deepEqual(v.seen, { tokens: [], answers: [], errors: [] });
});

test("runs: cancel ends every run started before it, not those after; a run whose message is no longer shown does nothing", async () => {
  let current = msgA;
  const runs = createRuns(() => current);
  const one = runs.start(msgA);
  const two = runs.start(msgA);
  assert.ok(one.isCurrent() && two.isCurrent());
  runs.cancel();
  assert.ok(one.signal.aborted && two.signal.aborted);
  assert.ok(!one.isCurrent() && !two.isCurrent());
  // Back on the same message object (a rebuild of the views): old runs stay dropped.
  const three = runs.start(msgA);
  assert.ok(three.isCurrent());
  current = msgB;
  assert.ok(!three.isCurrent(), "its message is no longer the one shown");
  assert.ok(!three.signal.aborted, "until the app cancels it");
  const calls = [];
  three.guard((x) => calls.push(x))("late");
  assert.deepEqual(calls, [], "guarded handlers do nothing for a message no longer shown");
});
