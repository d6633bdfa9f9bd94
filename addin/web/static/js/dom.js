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

/**
 * reveal brings a result into view when it arrives and moves the focus to
 * it (without a second scroll), so a screen reader reads it and nothing new
 * sits below the fold. The sticky header is kept clear by the page's
 * scroll-padding-top (see app.js).
 */
export function reveal(el) {
  if (!el || el.hidden) return;
  if (!el.hasAttribute("tabindex") && !/^(TEXTAREA|INPUT|SELECT|BUTTON|A)$/.test(el.tagName)) el.setAttribute("tabindex", "-1");
  if (typeof el.focus === "function") el.focus({ preventScroll: true });
  if (typeof el.scrollIntoView === "function") el.scrollIntoView({ block: "start" });
}

/**
 * block disables control while reasonId names the element that says why
 * (its aria-describedby), or, with reasonId null, gives the control back to
 * its own state: disabled when idle is false.
 */
export function block(control, reasonId, idle = true) {
  if (reasonId) control.setAttribute("aria-describedby", reasonId);
  else control.removeAttribute("aria-describedby");
  control.disabled = !!reasonId || !idle;
}
