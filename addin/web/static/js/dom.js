// A tiny DOM builder. Text always goes through textContent: mail content and
// model output are never parsed as HTML in the panel.

/** h creates an element: h("p", {class: "x", onclick: fn}, "text", child…). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") {
      el.addEventListener(k.slice(2), v);
    } else if (k === "class") {
      el.className = v;
    } else if (k === "text") {
      el.textContent = v;
    } else if (v === true) {
      el.setAttribute(k, "");
    } else {
      el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (typeof c === "string" || typeof c === "number") el.appendChild(document.createTextNode(String(c)));
    else el.appendChild(c);
  }
}

/** clear removes every child of el and appends the given children. */
export function replace(el, ...children) {
  while (el.firstChild) el.removeChild(el.firstChild);
  append(el, children);
  return el;
}

let idSeq = 0;

/** uid returns a unique id for label/aria wiring. */
export function uid(prefix = "p") {
  idSeq += 1;
  return prefix + "-" + idSeq;
}
