// Turning problem+json documents (RFC 9457) into what the panel tells the
// user: a plain sentence (the server's own, in the user's language), what the
// user can do, and whether it is a refusal (protection marking, encryption)
// rather than a failure.

import { t, has, getLanguage } from "./i18n.js";

/** ApiError carries the problem document of a failed request. */
export class ApiError extends Error {
  constructor(problem) {
    super(problem?.title || problem?.code || "error");
    this.name = "ApiError";
    this.problem = problem || {};
    this.code = this.problem.code || "unknown";
  }
}

/** statusCodes maps an HTTP status to a stable code when the body is not a problem document. */
const statusCodes = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "message_not_found",
  413: "too_large",
  415: "unsupported_document",
  429: "rate_limited",
  500: "internal",
  501: "not_implemented",
  502: "mail_unavailable",
  503: "model_unavailable",
  504: "model_timeout",
};

/** problemFromStatus builds a minimal problem for a response that carried none. */
export function problemFromStatus(status, retryAfter) {
  const p = { code: statusCodes[status] || (status >= 500 ? "internal" : "bad_request"), status };
  const n = Number.parseInt(retryAfter ?? "", 10);
  if (Number.isFinite(n) && n > 0) p.retryAfter = n;
  return p;
}

/** networkProblem is the problem for a request that got no answer. */
export function networkProblem() {
  return { code: "network", status: 0 };
}

const refusals = new Set(["refused_marking", "refused_encrypted"]);

/** localCodes are the problems the panel finds itself (no server sentence): their text is "error." + code. */
const localCodes = new Set(["network", "message_changed", "attach_unsupported"]);

/**
 * describe turns a problem into {kind, code, title, text, hint, marking}:
 * kind is "refusal" or "error"; text is the server's sentence in the user's
 * language when given, else a local one; hint says what the user can do.
 */
export function describe(problem) {
  const p = problem || {};
  const code = typeof p.code === "string" && p.code ? p.code : codeFromType(p.type);
  const lang = getLanguage();
  const kind = refusals.has(code) ? "refusal" : "error";
  let text = p.message && typeof p.message[lang] === "string" && p.message[lang] ? p.message[lang] : "";
  if (!text && p.message && typeof p.message.fr === "string") text = p.message.fr;
  if (!text) text = localCodes.has(code) ? t("error." + code) : p.title || t("error.unknown");
  let hint;
  if (code === "rate_limited") {
    hint = p.retryAfter > 0 ? t("hint.rate_limited", { seconds: p.retryAfter }) : t("hint.rate_limited_nosec");
  } else {
    hint = has("hint." + code) ? t("hint." + code) : t("hint.unknown");
  }
  return {
    kind,
    code,
    title: kind === "refusal" ? t("refusal.title") : t("error.title"),
    text,
    hint,
    marking: typeof p.marking === "string" ? p.marking : "",
  };
}

function codeFromType(type) {
  if (typeof type === "string" && type.startsWith("urn:plume:problem:")) return type.slice("urn:plume:problem:".length);
  return "unknown";
}
