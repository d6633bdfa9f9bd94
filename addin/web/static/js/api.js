// The Plume API client: JSON requests with a bearer token, Server-Sent
// Events streams read over fetch (EventSource can neither POST nor send a
// token), problem+json errors turned into ApiError.

import { readEvents } from "./sse.js";
import { ApiError, problemFromStatus, networkProblem } from "./problem.js";

/**
 * createClient returns the API client.
 * opts.base: server origin ("" = same origin as the panel);
 * opts.token: async () => bearer token or null;
 * opts.fetch: the fetch function (tests pass a fake).
 */
export function createClient(opts = {}) {
  const base = (opts.base || "").replace(/\/+$/, "");
  const doFetch = opts.fetch || ((...a) => globalThis.fetch(...a));
  const token = opts.token || (async () => null);

  async function send(method, path, body, { stream, signal, handlers } = {}) {
    const headers = { Accept: stream ? "text/event-stream" : "application/json" };
    const bearer = await token();
    if (bearer) headers.Authorization = "Bearer " + bearer;
    let payload;
    if (body instanceof FormData) {
      payload = body;
    } else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let res;
    try {
      res = await doFetch(base + "/api/v1" + path, { method, headers, body: payload, signal, credentials: "omit" });
    } catch (err) {
      if (err && err.name === "AbortError") throw err;
      throw new ApiError(networkProblem());
    }
    if (!res.ok) throw new ApiError(await readProblem(res));
    const type = res.headers.get("Content-Type") || "";
    if (stream && type.startsWith("text/event-stream") && res.body) {
      return readStream(res.body, handlers || {});
    }
    return res.json();
  }

  return {
    base,
    /** me returns who the caller is and what the server offers. */
    me: () => send("GET", "/me"),
    /** threads lists the caller's newest threads (demo / plain browser). */
    threads: (limit = 20) => send("GET", "/threads?limit=" + encodeURIComponent(limit)),
    /** check asks what the gate would refuse for ref's thread, before any request: {markings, refused: {task: problem}}. */
    check: (ref, { signal } = {}) => send("POST", "/thread/check", { message: ref }, { signal }),
    /** summary summarises the thread of ref; handlers {onToken, onProgress, signal} stream it. */
    summary: (ref, options, handlers) =>
      send("POST", "/thread/summary", { message: ref, options: options || {} }, streamOpts(handlers)),
    /** reply drafts a reply to ref. */
    reply: (ref, options, handlers) =>
      send("POST", "/thread/reply", { message: ref, options: options || {} }, streamOpts(handlers)),
    /** ask asks a question on the thread of ref, answered from it only, with its sources. */
    ask: (ref, question, options, handlers) =>
      send("POST", "/thread/ask", { message: ref, question, options: options || {} }, streamOpts(handlers)),
    /** draft drafts a courrier or a note from the thread of ref; options.format adds the file (base64). */
    draft: (ref, options, handlers) => send("POST", "/draft", { message: ref, options: options || {} }, streamOpts(handlers)),
    /** action runs the organisation's named action on ref. */
    action: (name, ref, inputs, handlers) =>
      send("POST", "/actions/" + encodeURIComponent(name), { message: ref, inputs: inputs || {} }, streamOpts(handlers)),
    /**
     * attachmentSummary summarises one attachment: either by reference
     * ({ref, attachment: {partPath} | {id}}) or by upload ({file: Blob, name, ref?}).
     */
    attachmentSummary: (req, handlers) => send("POST", "/attachment/summary", attachmentBody(req), streamOpts(handlers)),
  };
}

function streamOpts(handlers) {
  if (!handlers) return {};
  return { stream: true, signal: handlers.signal, handlers };
}

/** attachmentBody builds the JSON or multipart body of an attachment summary. */
export function attachmentBody(req) {
  const options = req.options || {};
  if (req.file) {
    const form = new FormData();
    form.append("file", req.file, req.name || req.file.name || "document");
    if (req.ref) form.append("message", JSON.stringify(req.ref));
    form.append("options", JSON.stringify(options));
    return form;
  }
  return { message: req.ref, attachment: req.attachment, options };
}

async function readProblem(res) {
  const type = res.headers.get("Content-Type") || "";
  const retry = res.headers.get("Retry-After");
  if (type.includes("json")) {
    try {
      const p = await res.json();
      if (p && typeof p === "object") {
        if (!p.code) Object.assign(p, { code: problemFromStatus(res.status).code });
        if (!p.retryAfter && retry) p.retryAfter = problemFromStatus(res.status, retry).retryAfter;
        return p;
      }
    } catch {
      // fall through to a problem built from the status
    }
  }
  return problemFromStatus(res.status, retry);
}

/** readStream consumes an SSE answer: tokens and progress go to handlers, the result is returned. */
export async function readStream(body, handlers) {
  let result;
  let problem;
  await readEvents(body, (ev) => {
    let data;
    try {
      data = ev.data ? JSON.parse(ev.data) : {};
    } catch {
      return true;
    }
    switch (ev.event) {
      case "token":
        if (handlers.onToken && typeof data.text === "string") handlers.onToken(data.text);
        break;
      case "progress":
        if (handlers.onProgress) handlers.onProgress(data);
        break;
      case "result":
        result = data;
        return false;
      case "error":
        problem = data;
        return false;
      default:
        break;
    }
    return true;
  });
  if (problem) throw new ApiError(problem);
  if (result === undefined) throw new ApiError({ code: "internal", status: 0, title: "stream ended without a result" });
  return result;
}
