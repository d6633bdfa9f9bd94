import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseLightMarkdown, renderLightMarkdown, inlineParts } from "../static/js/markdown.js";

/** FakeElement is the little of the DOM dom.js uses; any HTML parsing entry point throws. */
class FakeElement {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.childNodes = [];
    this.attributes = {};
    this.className = "";
  }
  appendChild(c) {
    this.childNodes.push(c);
    return c;
  }
  setAttribute(k, v) {
    this.attributes[k] = v;
  }
  addEventListener() {}
  get textContent() {
    return this.childNodes.map((c) => c.textContent).join("");
  }
  set textContent(v) {
    this.childNodes = [{ nodeType: 3, textContent: String(v) }];
  }
  set innerHTML(_) {
    throw new Error("innerHTML used");
  }
  set outerHTML(_) {
    throw new Error("outerHTML used");
  }
  insertAdjacentHTML() {
    throw new Error("insertAdjacentHTML used");
  }
}

globalThis.document = {
  createElement: (tag) => new FakeElement(tag),
  createTextNode: (text) => ({ nodeType: 3, textContent: text }),
};

/** tree reduces rendered nodes to [tag, ...children] and strings, for comparisons. */
function tree(node) {
  if (Array.isArray(node)) return node.map(tree);
  if (node.nodeType === 3) return node.textContent;
  return [node.tagName.toLowerCase(), ...node.childNodes.map(tree)];
}

/** tags lists every element tag under nodes. */
function tags(nodes, out = new Set()) {
  for (const n of nodes) {
    if (n.nodeType === 3) continue;
    out.add(n.tagName.toLowerCase());
    tags(n.childNodes, out);
  }
  return out;
}

const parseCases = [
  { name: "plain paragraph", in: "Le document fixe les échéances.", want: [{ type: "paragraph", text: "Le document fixe les échéances." }] },
  {
    name: "headings of three levels, deeper ones capped",
    in: "# Titre\n## Sous-titre\n#### Détail ##",
    want: [
      { type: "heading", level: 1, text: "Titre" },
      { type: "heading", level: 2, text: "Sous-titre" },
      { type: "heading", level: 3, text: "Détail" },
    ],
  },
  { name: "hash without space is text", in: "#hashtag", want: [{ type: "paragraph", text: "#hashtag" }] },
  {
    name: "bullet and ordered lists",
    in: "- un\n* deux\n• trois\n1. premier\n2) second",
    want: [
      { type: "list", ordered: false, items: ["un", "deux", "trois"] },
      { type: "list", ordered: true, items: ["premier", "second"] },
    ],
  },
  {
    name: "table with header",
    in: "| Pièce | Échéance |\n|---|:---:|\n| Plan de financement | 15 juillet |\n| RIB |",
    want: [{ type: "table", header: ["Pièce", "Échéance"], rows: [["Plan de financement", "15 juillet"], ["RIB"]] }],
  },
  { name: "table without header", in: "| a | b |\n| c | d |", want: [{ type: "table", header: null, rows: [["a", "b"], ["c", "d"]] }] },
  {
    name: "paragraphs separated by blank lines, CRLF",
    in: "Ligne un\r\nligne deux\r\n\r\nAutre paragraphe",
    want: [
      { type: "paragraph", text: "Ligne un\nligne deux" },
      { type: "paragraph", text: "Autre paragraphe" },
    ],
  },
  { name: "empty and missing", in: undefined, want: [] },
];

for (const c of parseCases) {
  test("parseLightMarkdown: " + c.name, () => assert.deepEqual(parseLightMarkdown(c.in), c.want));
}

test("inlineParts finds bold, leaves lone markers as text", () => {
  assert.deepEqual(inlineParts("avant **le 15 juillet** impérativement"), [
    { text: "avant ", bold: false },
    { text: "le 15 juillet", bold: true },
    { text: " impérativement", bold: false },
  ]);
  assert.deepEqual(inlineParts("2 * 3 ** 4"), [{ text: "2 * 3 ** 4", bold: false }]);
});

test("renderLightMarkdown: headings from h4, lists, tables, bold", () => {
  const nodes = renderLightMarkdown("# Points d'attention\n- Échéance : **avant le 15 juillet**\n\n| Pièce | État |\n|---|---|\n| RIB | manquant |");
  assert.deepEqual(tree(nodes), [
    ["h4", "Points d'attention"],
    ["ul", ["li", "Échéance : ", ["strong", "avant le 15 juillet"]]],
    ["div", ["table", ["thead", ["tr", ["th", "Pièce"], ["th", "État"]]], ["tbody", ["tr", ["td", "RIB"], ["td", "manquant"]]]]],
  ]);
});

test("renderLightMarkdown: short rows are padded to the table's width", () => {
  const [div] = renderLightMarkdown("| a | b | c |\n| d |");
  assert.deepEqual(tree(div), ["div", ["table", ["tbody", ["tr", ["td", "a"], ["td", "b"], ["td", "c"]], ["tr", ["td", "d"], ["td"], ["td"]]]]]);
});

const hostile = [
  "<img src=x onerror=alert(1)>",
  "# <img src=x onerror=alert(1)>",
  "- <script>alert(1)</script>",
  "| <b onmouseover=alert(1)>x</b> | <iframe src=javascript:alert(1)> |",
  "**<svg onload=alert(1)>**",
  "1. <a href=\"javascript:alert(1)\">clic</a>",
];

test("renderLightMarkdown: hostile markup stays text, no element comes from content", () => {
  const allowed = new Set(["h4", "h5", "h6", "p", "ul", "ol", "li", "strong", "div", "table", "thead", "tbody", "tr", "th", "td"]);
  const nodes = renderLightMarkdown(hostile.join("\n\n"));
  for (const t of tags(nodes)) assert.ok(allowed.has(t), "element <" + t + "> built from content");
  const text = nodes.map((n) => n.textContent).join("\n");
  for (const s of ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "<b onmouseover=alert(1)>x</b>", "<iframe src=javascript:alert(1)>", "<svg onload=alert(1)>", '<a href="javascript:alert(1)">clic</a>']) {
    assert.ok(text.includes(s), "lost as text: " + s);
  }
  // No attribute carries content either.
  const attrs = [];
  const walk = (ns) => ns.forEach((n) => n.nodeType !== 3 && (attrs.push(...Object.values(n.attributes)), walk(n.childNodes)));
  walk(nodes);
  assert.ok(attrs.every((a) => ["md-heading", "md-list", "md-table", "col"].includes(a)), "attributes: " + attrs);
});

test("the markdown renderer never uses an HTML parsing API", () => {
  const src = readFileSync(new URL("../static/js/markdown.js", import.meta.url), "utf8").replace(/^\s*\/\/.*$/gm, "");
  for (const api of ["innerHTML", "outerHTML", "insertAdjacentHTML", "DOMParser", "createContextualFragment", "document.write"]) {
    assert.ok(!src.includes(api), "markdown.js uses " + api);
  }
});
