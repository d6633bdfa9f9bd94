// The Thunderbird host (MailExtension popup). Reads the displayed message
// (headerMessageId, or the raw MIME in raw mode), inserts drafts above the
// quote and signature of the reply compose.beginReply opens, uploads attachments read with getAttachmentFile, and
// picks up the attachment chosen in the "Résumer la pièce jointe avec Plume"
// context menu (stored by the background script), and attaches courriers and
// notes to a reply (compose.beginReply, compose.addAttachment).

import { withRetry } from "../retry.js";
import { createOIDC } from "./oidc.js";
import { ApiError } from "../problem.js";
import { base64ToBytes } from "../text.js";

/** PENDING_KEY is the storage.local key where the background script leaves the chosen attachments. */
export const PENDING_KEY = "plume.pendingAttachment";

/** PENDING_MAX_AGE is how long (ms) a pending attachment stays valid. */
export const PENDING_MAX_AGE = 120000;

/**
 * AUTH_TOKEN and AUTH_SIGN_OUT are the background's sign-in requests
 * (addin/thunderbird/src/auth.js): with OIDC the background owns the tokens.
 */
export const AUTH_TOKEN = "plume.auth.token";
export const AUTH_SIGN_OUT = "plume.auth.signout";

/** defaultConfig applies when neither config.js nor storage say otherwise. */
export const defaultConfig = { server: "http://127.0.0.1:8080", mode: "imap", oidc: null };

/**
 * createThunderbirdHost returns the host adapter.
 * env: {messenger, search (location.search), loadConfig: async () => config.js default export,
 *       fetch, crypto, now, sleep, broker}.
 * broker (the popup's, absent in the background): async (request) => the
 * background's answer (runtime.sendMessage); with OIDC, tokens are asked of
 * the background, which signs in once for the popup and the banner.
 */
export function createThunderbirdHost(env) {
  const m = env.messenger;
  const now = env.now || (() => Date.now());
  const retry = (fn) => withRetry(fn, { sleep: env.sleep });
  const params = new URLSearchParams(env.search || "");
  let config = { ...defaultConfig };
  let oidc = null;
  let shown = null; // the displayed message (MessageHeader)

  async function rawRef(id) {
    const raw = await retry(() => m.messages.getRaw(id));
    return { source: "raw", mime: await rawToBase64(raw) };
  }

  const host = {
    name: "thunderbird",
    picker: false,
    apiBase: config.server,
    get config() {
      return config;
    },
    async init() {
      config = await loadConfig(m, env.loadConfig);
      host.apiBase = config.server;
      if (config.oidc && config.oidc.clientId && m.identity) {
        oidc = createOIDC(config.oidc, { identity: m.identity, fetch: env.fetch, crypto: env.crypto, now });
      }
    },
    auth: {
      get available() {
        return !!oidc;
      },
      async signIn() {
        return oidc ? host.token() : null;
      },
      async signOut() {
        if (!oidc) return;
        oidc.signOut();
        if (env.broker) await env.broker({ type: AUTH_SIGN_OUT }).catch(() => {});
      },
    },
    async token() {
      if (oidc && env.broker) {
        let answer;
        try {
          answer = await env.broker({ type: AUTH_TOKEN });
        } catch {
          answer = undefined; // no background to ask (an older one, or being restarted)
        }
        if (answer && typeof answer === "object") return answer.token || null;
      }
      return host.ownToken();
    },
    /** ownToken is this page's own token: its OIDC session (in memory) or the development token in storage. */
    async ownToken() {
      if (oidc) return oidc.token(true);
      const v = await m.storage.local.get("plume.token");
      return v["plume.token"] || null;
    },
    prefs: {
      async get(key) {
        const v = await m.storage.local.get("plume." + key);
        return v["plume." + key] ?? null;
      },
      async set(key, value) {
        await m.storage.local.set({ ["plume." + key]: value });
      },
    },
    async current() {
      shown = await displayedMessage(m);
      if (!shown) return null;
      const atts = await retry(() => m.messages.listAttachments(shown.id));
      return describeMessage(shown, atts);
    },
    /**
     * messageRef builds the API reference: Message-ID, or the raw MIME in raw
     * mode (and for a message without Message-ID).
     */
    async messageRef(cur) {
      if (config.mode !== "raw" && hasMessageId(cur.ref)) return cur.ref;
      return rawRef(cur.id);
    },
    /**
     * attachmentRef is the reference of the message carrying an attachment
     * (which may not be the displayed one, from the context menu): every
     * upload names it so that its markings apply.
     */
    async attachmentRef(att) {
      if (config.mode !== "raw" && hasMessageId(att.ref)) return att.ref;
      return rawRef(att.messageId);
    },
    onChange(cb) {
      if (m.messageDisplay && m.messageDisplay.onMessageDisplayed) {
        m.messageDisplay.onMessageDisplayed.addListener(async (tab, msg) => {
          const one = msg && msg.messages ? msg.messages[0] : msg;
          if (!one) return;
          shown = one;
          const atts = await retry(() => m.messages.listAttachments(one.id));
          cb(describeMessage(one, atts));
        });
      }
    },
    /**
     * insertReply begins a reply to the displayed message the way Thunderbird
     * does it itself — attribution, quoted mail, the identity's signature
     * where the identity puts it, HTML or plain text as the identity
     * composes — then puts the draft above them (compose.beginReply with a
     * body would replace them all). With forMessage (the message the text
     * was written for) it refuses when another message is displayed, even
     * before the panel has been told.
     */
    async insertReply(body, replyAll, forMessage) {
      if (!shown) throw new ApiError({ code: "message_not_found" });
      if (forMessage && forMessage.id !== shown.id) throw new ApiError({ code: "message_changed" });
      const type = replyAll ? "replyToAll" : "replyToSender";
      const tab = await m.compose.beginReply(shown.id, type);
      const details = await m.compose.getComposeDetails(tab.id);
      await m.compose.setComposeDetails(tab.id, draftAboveQuote(details, body));
      return { notice: "" };
    },
    /**
     * attachDraft opens a reply to the message the courrier or note (file:
     * {name, mediaType, data: base64}) was written for, as Thunderbird writes
     * it — attribution, quote, signature — and attaches the file to it.
     */
    async attachDraft(file, forMessage) {
      if (!shown) throw new ApiError({ code: "message_not_found" });
      if (forMessage && forMessage.id !== shown.id) throw new ApiError({ code: "message_changed" });
      const tab = await m.compose.beginReply(shown.id, "replyToSender");
      await m.compose.addAttachment(tab.id, { file: new File([base64ToBytes(file.data)], file.name, { type: file.mediaType }), name: file.name });
      return { notice: "" };
    },
    attachmentMode: () => "upload",
    async attachmentFile(att) {
      const file = await retry(() => m.messages.getAttachmentFile(att.messageId, att.partName));
      return { blob: file, name: (file && file.name) || att.name };
    },
    /**
     * pendingAttachments returns the attachments chosen from the context menu
     * (and forgets them), or [] when the popup was opened otherwise.
     */
    async pendingAttachments() {
      const v = await m.storage.local.get(PENDING_KEY);
      const rec = v[PENDING_KEY];
      if (!rec) return [];
      await m.storage.local.remove(PENDING_KEY);
      if (params.get("attachment") !== rec.key && now() - rec.at > PENDING_MAX_AGE) return [];
      if (rec.message && !shown) shown = rec.message;
      const ref = imapRef(rec.message && rec.message.headerMessageId);
      return (rec.attachments || []).map((a) => attachmentEntry(rec.messageId, a, ref));
    },
  };
  return host;
}

async function loadConfig(m, loader) {
  let file = {};
  if (loader) {
    try {
      const mod = await loader();
      file = (mod && (mod.default || mod.config)) || {};
    } catch {
      file = {};
    }
  }
  const stored = await m.storage.local.get(["plume.server", "plume.mode"]);
  const cfg = { ...defaultConfig, ...file };
  if (stored["plume.server"]) cfg.server = stored["plume.server"];
  if (stored["plume.mode"]) cfg.mode = stored["plume.mode"];
  cfg.server = String(cfg.server || "").replace(/\/+$/, "");
  return cfg;
}

/**
 * draftAboveQuote returns the compose details that put the draft (body:
 * {text, html}) at the top of a reply Thunderbird opened (details from
 * compose.getComposeDetails): everything Thunderbird wrote — attribution,
 * quote, signature — is kept below it, after the empty line Thunderbird
 * leaves for the caret.
 */
export function draftAboveQuote(details, body) {
  if (details && details.isPlainText) {
    const rest = String(details.plainTextBody || "").replace(/^(?:[ \t]*\r?\n)+/, "");
    return { plainTextBody: body.text + (rest ? "\n\n" + rest : "\n") };
  }
  const html = String((details && details.body) || "");
  const open = /<body\b[^>]*>/i.exec(html);
  if (!open) return { body: body.html + html };
  const at = open.index + open[0].length;
  return { body: html.slice(0, at) + body.html + html.slice(at) };
}

/** displayedMessage returns the message shown in the active tab of the popup's window. */
export async function displayedMessage(m) {
  const tabs = await m.tabs.query({ active: true, currentWindow: true });
  const tab = tabs && tabs[0];
  if (!tab) return null;
  if (typeof m.messageDisplay.getDisplayedMessage === "function") {
    const msg = await m.messageDisplay.getDisplayedMessage(tab.id);
    if (msg) return msg;
  }
  if (typeof m.messageDisplay.getDisplayedMessages === "function") {
    const list = await m.messageDisplay.getDisplayedMessages(tab.id);
    const arr = Array.isArray(list) ? list : (list && list.messages) || [];
    return arr[0] || null;
  }
  return null;
}

/** describeMessage builds the panel's current message from a MessageHeader and its attachments. */
export function describeMessage(msg, atts) {
  const ref = imapRef(msg.headerMessageId);
  return {
    id: msg.id,
    ref,
    subject: msg.subject || "",
    markings: [],
    attachments: (atts || []).map((a) => attachmentEntry(msg.id, a, ref)),
  };
}

/** imapRef is the IMAP reference of a headerMessageId, with or without brackets. */
function imapRef(headerMessageId) {
  const id = String(headerMessageId || "").replace(/^<|>$/g, "");
  return { source: "imap", messageId: "<" + id + ">" };
}

/** hasMessageId tells whether ref is an IMAP reference with a Message-ID. */
function hasMessageId(ref) {
  return !!ref && ref.source === "imap" && typeof ref.messageId === "string" && ref.messageId.length > 2;
}

function attachmentEntry(messageId, a, ref) {
  return {
    key: messageId + ":" + a.partName,
    messageId,
    // The message carrying the attachment; its upload names it.
    ref,
    partName: a.partName,
    name: a.name || "",
    mediaType: a.contentType || "",
    size: a.size || 0,
  };
}

/** RAW_CHUNK is a multiple of 3, so Base64 of consecutive chunks concatenates correctly. */
const RAW_CHUNK = 3 * 10922;

/** rawToBase64 encodes getRaw's answer (a binary string, or a File in newer versions). */
export async function rawToBase64(raw) {
  let bin = raw;
  if (typeof raw !== "string") {
    const bytes = new Uint8Array(await raw.arrayBuffer());
    const parts = [];
    for (let i = 0; i < bytes.length; i += RAW_CHUNK) {
      parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + RAW_CHUNK)));
    }
    bin = parts.join("");
  }
  let out = "";
  for (let i = 0; i < bin.length; i += RAW_CHUNK) out += btoa(bin.slice(i, i + RAW_CHUNK));
  return out;
}
