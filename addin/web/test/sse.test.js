import { test } from "node:test";
import assert from "node:assert/strict";
import { SSEParser, readEvents } from "../static/js/sse.js";

const stream = 'event: progress\ndata: {"done":1,"total":3}\n\n: ping\n\nevent: token\ndata: {"text":"Bon"}\n\nevent: token\r\ndata: {"text":"jour é"}\r\n\r\ndata: line1\ndata: line2\n\nevent: result\ndata: {"ok":true}\n\n';
const want = [
  { event: "progress", data: '{"done":1,"total":3}', id: "" },
  { event: "token", data: '{"text":"Bon"}', id: "" },
  { event: "token", data: '{"text":"jour é"}', id: "" },
  { event: "message", data: "line1\nline2", id: "" },
  { event: "result", data: '{"ok":true}', id: "" },
];

test("SSEParser parses a whole stream", () => {
  const p = new SSEParser();
  assert.deepEqual([...p.push(stream), ...p.end()], want);
});

test("SSEParser gives the same events whatever the chunk boundaries", () => {
  for (let cut = 0; cut <= stream.length; cut++) {
    const p = new SSEParser();
    const got = [...p.push(stream.slice(0, cut)), ...p.push(stream.slice(cut)), ...p.end()];
    assert.deepEqual(got, want, "cut at " + cut);
  }
  const p = new SSEParser();
  const got = [];
  for (const ch of stream) got.push(...p.push(ch));
  assert.deepEqual(got, want);
});

const fieldCases = [
  { name: "CR line endings", in: "event: a\rdata: x\r\r", out: [{ event: "a", data: "x", id: "" }] },
  { name: "no space after colon", in: "event:a\ndata:x\n\n", out: [{ event: "a", data: "x", id: "" }] },
  { name: "only the first space is stripped", in: "data:  x\n\n", out: [{ event: "message", data: " x", id: "" }] },
  { name: "id field", in: "id: 7\ndata: x\n\n", out: [{ event: "message", data: "x", id: "7" }] },
  { name: "event without data is not dispatched", in: "event: a\n\n", out: [] },
  { name: "unknown fields ignored", in: "retry: 10\nfoo: bar\ndata: x\n\n", out: [{ event: "message", data: "x", id: "" }] },
  { name: "comment only", in: ": ping\n\n", out: [] },
  { name: "unterminated event dropped at end", in: "data: x\n", out: [] },
  { name: "empty data line", in: "data\n\n", out: [{ event: "message", data: "", id: "" }] },
];

for (const c of fieldCases) {
  test("SSEParser: " + c.name, () => {
    const p = new SSEParser();
    assert.deepEqual([...p.push(c.in), ...p.end()], c.out);
  });
}

test("readEvents decodes UTF-8 split across byte chunks and can stop early", async () => {
  const bytes = new TextEncoder().encode('event: token\ndata: {"text":"été"}\n\nevent: result\ndata: {}\n\nevent: token\ndata: {"text":"after"}\n\n');
  const body = new ReadableStream({
    start(c) {
      for (let i = 0; i < bytes.length; i += 3) c.enqueue(bytes.slice(i, i + 3));
      c.close();
    },
  });
  const seen = [];
  await readEvents(body, (ev) => {
    seen.push(ev.event + ":" + ev.data);
    return ev.event !== "result";
  });
  assert.deepEqual(seen, ['token:{"text":"été"}', "result:{}"]);
});
