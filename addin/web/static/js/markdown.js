// The light markdown of document summaries (headings "#", lists "- ",
// "* " or "1. ", simple "| tables |", **bold**), read into blocks and built
// as DOM with textContent only: model output is never parsed as HTML, so
// "<img src=x onerror=…>" stays the text it is.

import { h } from "./dom.js";

/** MAX_BLOCKS caps the blocks rendered from one summary. */
export const MAX_BLOCKS = 500;

/**
 * parseLightMarkdown reads text into blocks:
 * {type: "heading", level: 1..3, text} | {type: "list", ordered, items: [text]} |
 * {type: "table", header: [cell] | null, rows: [[cell]]} | {type: "paragraph", text}.
 * Anything it does not recognise is paragraph text, kept as written.
 */
export function parseLightMarkdown(text) {
  const lines = String(text ?? "").replace(/\r\n?/g, "\n").split("\n");
  const blocks = [];
  let para = [];
  const flush = () => {
    if (para.length) blocks.push({ type: "paragraph", text: para.join("\n") });
    para = [];
  };
  for (let i = 0; i < lines.length && blocks.length < MAX_BLOCKS; i++) {
    const line = lines[i];
    const trimmed = line.trim();
    if (!trimmed) {
      flush();
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(trimmed);
    if (heading) {
      flush();
      blocks.push({ type: "heading", level: Math.min(heading[1].length, 3), text: heading[2] });
      continue;
    }
    const item = listItem(trimmed);
    if (item) {
      flush();
      const list = { type: "list", ordered: item.ordered, items: [item.text] };
      while (i + 1 < lines.length) {
        const next = listItem(lines[i + 1].trim());
        if (!next || next.ordered !== item.ordered) break;
        list.items.push(next.text);
        i++;
      }
      blocks.push(list);
      continue;
    }
    if (trimmed.startsWith("|")) {
      flush();
      const rows = [];
      let header = null;
      let j = i;
      for (; j < lines.length && lines[j].trim().startsWith("|"); j++) {
        const cells = tableCells(lines[j].trim());
        if (cells.every((c) => /^:?-{1,}:?$/.test(c))) {
          // The separator row: the row above it is the header.
          if (!header && rows.length === 1) header = rows.pop();
          continue;
        }
        rows.push(cells);
      }
      i = j - 1;
      blocks.push({ type: "table", header, rows });
      continue;
    }
    para.push(trimmed);
  }
  flush();
  return blocks.slice(0, MAX_BLOCKS);
}

function listItem(line) {
  let m = /^[-*•]\s+(.*)$/.exec(line);
  if (m) return { ordered: false, text: m[1] };
  m = /^\d{1,3}[.)]\s+(.*)$/.exec(line);
  if (m) return { ordered: true, text: m[1] };
  return null;
}

/** tableCells splits "| a | b |" into ["a", "b"]. */
function tableCells(line) {
  let s = line.replace(/^\|/, "");
  if (s.endsWith("|")) s = s.slice(0, -1);
  return s.split("|").map((c) => c.trim());
}

/** inlineParts splits text on **bold** (or __bold__) into [{text, bold}]. */
export function inlineParts(text) {
  const out = [];
  const re = /(\*\*|__)(.+?)\1/g;
  let last = 0;
  let m;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push({ text: text.slice(last, m.index), bold: false });
    out.push({ text: m[2], bold: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), bold: false });
  return out;
}

/** inline builds the nodes of one line of text: strings, and <strong> for bold. */
function inline(text) {
  return inlineParts(text).map((p) => (p.bold ? h("strong", {}, p.text) : p.text));
}

/**
 * renderLightMarkdown builds the elements of text's blocks. Headings start
 * at h4 (the card title is an h3).
 */
export function renderLightMarkdown(text) {
  return parseLightMarkdown(text).map((b) => {
    switch (b.type) {
      case "heading":
        return h("h" + (b.level + 3), { class: "md-heading" }, inline(b.text));
      case "list":
        return h(b.ordered ? "ol" : "ul", { class: "md-list" }, b.items.map((it) => h("li", {}, inline(it))));
      case "table": {
        const width = Math.max(b.header ? b.header.length : 0, ...b.rows.map((r) => r.length));
        const pad = (r) => r.concat(Array(Math.max(0, width - r.length)).fill(""));
        return h(
          "div",
          { class: "md-table" },
          h(
            "table",
            {},
            b.header ? h("thead", {}, h("tr", {}, pad(b.header).map((c) => h("th", { scope: "col" }, inline(c))))) : null,
            h("tbody", {}, b.rows.map((r) => h("tr", {}, pad(r).map((c) => h("td", {}, inline(c)))))),
          ),
        );
      }
      default:
        return h("p", {}, inline(b.text));
    }
  });
}
