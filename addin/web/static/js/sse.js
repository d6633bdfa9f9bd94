// Server-Sent Events parsing over a fetch body stream (EventSource cannot
// send a bearer token or a POST body). Follows the WHATWG event-stream
// format: "event:", "data:" (several lines joined by "\n"), comments that
// start with ":", and an empty line that dispatches the event.

/** SSEParser turns text chunks into events {event, data, id}. */
export class SSEParser {
  constructor() {
    this.buf = "";
    this.reset();
  }

  reset() {
    this.event = "";
    this.data = [];
    this.id = "";
    this.hasData = false;
  }

  /** push feeds one chunk of text and returns the events it completed. */
  push(chunk) {
    this.buf += chunk;
    const out = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buf);
      if (!m) break;
      // A lone "\r" at the end may be the first half of "\r\n": wait for more.
      if (m[0] === "\r" && m.index === this.buf.length - 1) break;
      const line = this.buf.slice(0, m.index);
      this.buf = this.buf.slice(m.index + m[0].length);
      this.line(line, out);
    }
    return out;
  }

  /** end flushes a pending line at the end of the stream (an unterminated event is dropped, as the spec says). */
  end() {
    const out = [];
    if (this.buf !== "") {
      this.line(this.buf.replace(/\r$/, ""), out);
      this.buf = "";
    }
    this.reset();
    return out;
  }

  line(line, out) {
    if (line === "") {
      if (this.hasData) {
        out.push({ event: this.event || "message", data: this.data.join("\n"), id: this.id });
      }
      this.reset();
      return;
    }
    if (line.startsWith(":")) return;
    const i = line.indexOf(":");
    const field = i < 0 ? line : line.slice(0, i);
    let value = i < 0 ? "" : line.slice(i + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.event = value;
        break;
      case "data":
        this.data.push(value);
        this.hasData = true;
        break;
      case "id":
        this.id = value;
        break;
      default:
        break;
    }
  }
}

/** readEvents reads a ReadableStream of bytes and calls onEvent for each event. */
export async function readEvents(body, onEvent) {
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8");
  const parser = new SSEParser();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    for (const ev of parser.push(decoder.decode(value, { stream: true }))) {
      if ((await onEvent(ev)) === false) {
        await reader.cancel().catch(() => {});
        return;
      }
    }
  }
  for (const ev of parser.push(decoder.decode())) await onEvent(ev);
  for (const ev of parser.end()) await onEvent(ev);
}
