// Plain statements about a result (degraded mode, cut input, masked personal
// data, markings) and about failures (refusals and errors with what to do).

import { h } from "../dom.js";
import { t } from "../i18n.js";
import { describe, ApiError } from "../problem.js";

/** metaNotices lists what to tell the user about an answer's meta, as {level, key, vars}. */
export function metaNotices(meta) {
  const out = [];
  if (!meta || typeof meta !== "object") return out;
  if (meta.degraded) out.push({ level: "warning", key: "notice.degraded", vars: {} });
  if (Array.isArray(meta.cut) && meta.cut.length) out.push({ level: "warning", key: "notice.cut", vars: { parts: meta.cut.join(", ") } });
  if (Array.isArray(meta.markings) && meta.markings.length) out.push({ level: "info", key: "notice.markings", vars: { labels: meta.markings.join(", ") } });
  const masked = meta.pseudonymized && typeof meta.pseudonymized === "object" ? Object.values(meta.pseudonymized).reduce((a, b) => a + (Number(b) || 0), 0) : 0;
  if (masked > 0) out.push({ level: "info", key: "notice.pseudonymized", vars: { n: masked } });
  if (meta.guard && meta.guard.removed > 0) out.push({ level: "info", key: "notice.guard", vars: { n: meta.guard.removed } });
  if (meta.cached) out.push({ level: "info", key: "notice.cached", vars: {} });
  return out;
}

/** renderMeta returns the notices of meta as elements. */
export function renderMeta(meta) {
  const items = metaNotices(meta);
  const els = items.map((n) => h("p", { class: "notice notice--" + n.level, "data-notice": n.key.slice("notice.".length) }, t(n.key, n.vars)));
  if (meta && meta.model && !meta.degraded) els.push(h("p", { class: "meta-model" }, t("notice.model", { model: meta.model })));
  return els;
}

/** problemOf turns any thrown value into a problem description (see problem.describe). */
export function problemOf(err) {
  if (err instanceof ApiError) return describe(err.problem);
  if (err && err.problem) return describe(err.problem);
  return describe({ code: "unknown", title: "" });
}

/** renderProblem returns the alert box for a failure or refusal. */
export function renderProblem(err) {
  const d = problemOf(err);
  return h(
    "div",
    { class: "alert alert--" + d.kind, role: "alert", "data-code": d.code },
    h("p", { class: "alert__title" }, d.title),
    h("p", {}, d.text),
    d.marking ? h("p", { class: "alert__marking" }, t("refusal.marking", { marking: d.marking })) : null,
    h("p", { class: "alert__hint" }, d.hint),
    d.code !== "unknown" && d.code !== "network" ? h("p", { class: "alert__code" }, t("error.code", { code: d.code })) : null,
  );
}
