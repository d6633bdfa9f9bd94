// Plain statements about a result (degraded mode, cut input, removed links)
// and about failures (refusals and errors with what to do). What the agent
// cannot act on — how many data were masked, the model's name, the cache,
// a marking the header badge already shows — is not said under each result.

import { h } from "../dom.js";
import { t } from "../i18n.js";
import { describe, ApiError } from "../problem.js";

/** metaNotices lists what to tell the user about an answer's meta, as {level, key, vars}: only what changes how to read it. */
export function metaNotices(meta) {
  const out = [];
  if (!meta || typeof meta !== "object") return out;
  if (meta.degraded) out.push({ level: "warning", key: "notice.degraded", vars: {} });
  if (Array.isArray(meta.cut) && meta.cut.length) out.push({ level: "warning", key: "notice.cut", vars: { parts: meta.cut.join(", ") } });
  if (meta.guard && meta.guard.removed > 0) out.push({ level: "info", key: "notice.guard", vars: { n: meta.guard.removed } });
  return out;
}

/** renderMeta returns the notices of meta as elements. */
export function renderMeta(meta) {
  return metaNotices(meta).map((n) => h("p", { class: "notice notice--" + n.level, "data-notice": n.key.slice("notice.".length) }, t(n.key, n.vars)));
}

/** problemOf turns any thrown value into a problem description (see problem.describe). */
export function problemOf(err) {
  if (err instanceof ApiError) return describe(err.problem);
  if (err && err.problem) return describe(err.problem);
  return describe({ code: "unknown", title: "" });
}

/**
 * renderProblem returns the alert box for a failure or refusal: a refusal
 * is a warning (Plume did what it must), in plain French; the technical
 * code is only in a "Détails techniques" disclosure.
 */
export function renderProblem(err) {
  const d = problemOf(err);
  return h(
    "div",
    { class: "alert alert--" + d.kind, role: "alert", "data-code": d.code },
    h("p", { class: "alert__title" }, h("span", { class: "alert__icon", "aria-hidden": "true" }, d.kind === "refusal" ? "⚠ " : "✕ "), d.title),
    h("p", {}, d.text),
    h("p", { class: "alert__hint" }, d.hint),
    d.code !== "unknown" && d.code !== "network"
      ? h("details", { class: "alert__details" }, h("summary", {}, t("error.details")), h("p", { class: "alert__code" }, t("error.code", { code: d.code })))
      : null,
  );
}
