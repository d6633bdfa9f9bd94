// Text helpers shared by the views: plain text ↔ HTML for reply bodies,
// the 32 KB limit of Outlook's reply form, the streamed preview.

/** escapeHTML escapes text for inclusion in an HTML body. */
export function escapeHTML(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** textToHTML turns plain text into paragraphs (blank lines) and line breaks. */
export function textToHTML(text) {
  const paras = String(text).replace(/\r\n?/g, "\n").split(/\n{2,}/);
  return paras
    .filter((p) => p.trim() !== "")
    .map((p) => "<p>" + escapeHTML(p.replace(/^\n+|\n+$/g, "")).replace(/\n/g, "<br>") + "</p>")
    .join("\n");
}

/**
 * replyBodies returns the text and HTML to insert: the text in the panel
 * (edited, else the reply's), and HTML always rebuilt from it — escaped,
 * in paragraphs. The server's own html is never inserted: whatever it
 * holds, only the text the agent reviewed reaches the reply form.
 */
export function replyBodies(reply, edited) {
  const text = typeof edited === "string" ? edited : reply?.text || "";
  return { text, html: textToHTML(text) };
}

/** OUTLOOK_HTML_LIMIT is the size limit of displayReplyFormAsync's htmlBody (32 KB). */
export const OUTLOOK_HTML_LIMIT = 32 * 1024;

const utf8 = new TextEncoder();

/** byteLength is the UTF-8 size of s. */
export function byteLength(s) {
  return utf8.encode(s).length;
}

/**
 * fitHTML makes a reply body fit limit bytes: the HTML as is; else the plain
 * text as simple paragraphs ("plain"); else the text truncated at a word
 * boundary with an ellipsis ("truncated").
 * Returns {html, mode: "html"|"plain"|"truncated"}.
 */
export function fitHTML(html, text, limit = OUTLOOK_HTML_LIMIT) {
  if (byteLength(html) <= limit) return { html, mode: "html" };
  const plain = textToHTML(text);
  if (byteLength(plain) <= limit) return { html: plain, mode: "plain" };
  // Binary search on the text length so the escaped HTML fits.
  let lo = 0;
  let hi = text.length;
  const suffix = " […]";
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (byteLength(textToHTML(text.slice(0, mid) + suffix)) <= limit) lo = mid;
    else hi = mid - 1;
  }
  let cut = text.slice(0, lo);
  const space = cut.search(/\s\S*$/);
  if (space > lo * 0.8) cut = cut.slice(0, space);
  // Do not split a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return { html: textToHTML(cut + suffix), mode: "truncated" };
}

/**
 * streamPreview returns what to show of a streamed answer while it is being
 * written: the text itself, or — when the model writes JSON — the value of
 * its "summary" (or "text") field decoded so far.
 */
export function streamPreview(raw) {
  const s = String(raw);
  const trimmed = s.trimStart();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("```")) return s;
  const m = /"(?:summary|text)"\s*:\s*"((?:[^"\\]|\\.)*)(?:"|\\?$)/s.exec(s);
  if (!m) return "";
  return m[1].replace(/\\(u[0-9a-fA-F]{4}|.)/gs, (all, e) => {
    if (e[0] === "u") return String.fromCharCode(parseInt(e.slice(1), 16));
    return { n: "\n", t: "\t", r: "", '"': '"', "\\": "\\", "/": "/", b: "", f: "" }[e] ?? e;
  });
}

/** base64ToBytes decodes standard Base64. */
export function base64ToBytes(b64) {
  const bin = atob(String(b64).replace(/\s+/g, ""));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** formatSize renders a byte count as "12 Ko" / "1,5 Mo" (French) or "12 KB". */
export function formatSize(n, lang = "fr") {
  if (!Number.isFinite(n) || n < 0) return "";
  const units = lang === "en" ? ["B", "KB", "MB", "GB"] : ["o", "Ko", "Mo", "Go"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const num = i === 0 || v >= 10 ? Math.round(v).toString() : v.toFixed(1);
  return (lang === "en" ? num : num.replace(".", ",")) + " " + units[i];
}
