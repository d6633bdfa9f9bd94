// The Outlook host (task pane, Office.js). Reads the current item, inserts
// drafts with displayReplyFormAsync / displayReplyAllFormAsync, follows
// ItemChanged when the pane is pinned, uploads attachments read with
// getAttachmentContentAsync, accepts attachments dragged onto the pane, and
// attaches courriers and notes to a reply (displayReplyFormAsync with a
// base64 attachment) or to the item being composed.

import { fitHTML, base64ToBytes } from "../text.js";
import { prefsOf } from "./browser.js";
import { ApiError } from "../problem.js";
import { createOutlookAuth } from "./outlookauth.js";

/**
 * createOutlookHost returns the host adapter.
 * env: {Office, storage, search (location.search), msal (optional)}.
 */
export function createOutlookHost(env) {
  const Office = env.Office;
  const params = new URLSearchParams(env.search || "");
  const auth = createOutlookAuth({ Office, msal: env.msal, params });
  let sources = ["imap"];
  const listeners = [];
  const dropListeners = [];

  const mailbox = () => Office.context && Office.context.mailbox;
  const item = () => mailbox() && mailbox().item;

  async function current() {
    const it = item();
    if (!it) return null;
    return describeItem(it, mailbox(), Office, sources);
  }

  return {
    name: "outlook",
    picker: false,
    apiBase: params.get("server") || "",
    auth,
    async init() {
      await new Promise((resolve) => {
        const p = Office.onReady((info) => resolve(info));
        if (p && typeof p.then === "function") p.then(resolve);
      });
      const mb = mailbox();
      if (mb && typeof mb.addHandlerAsync === "function" && Office.EventType) {
        if (Office.EventType.ItemChanged) {
          mb.addHandlerAsync(Office.EventType.ItemChanged, async () => {
            const cur = await current();
            for (const cb of listeners) cb(cur);
          });
        }
        if (Office.EventType.DragAndDropEvent) {
          mb.addHandlerAsync(Office.EventType.DragAndDropEvent, (event) => {
            for (const f of droppedFiles(event)) for (const cb of dropListeners) cb(f);
          });
        }
      }
    },
    token: () => auth.token(),
    prefs: prefsOf(env.storage),
    /** setSources tells which references the server accepts (from /me features.sources). */
    setSources(list) {
      if (Array.isArray(list) && list.length) sources = list;
    },
    current,
    onChange(cb) {
      listeners.push(cb);
    },
    /** onFileDrop receives attachments dragged onto the pane ({name, blob}). */
    onFileDrop(cb) {
      dropListeners.push(cb);
    },
    /**
     * insertReply opens the reply form of the selected item with body. With
     * forMessage (the message the text was written for) it refuses when
     * Outlook has already moved to another item, even before ItemChanged
     * reaches the pane.
     */
    async insertReply(body, replyAll, forMessage) {
      const it = item();
      if (!it) throw new ApiError({ code: "message_not_found" });
      if (forMessage && !isItem(forMessage, it)) throw new ApiError({ code: "message_changed" });
      const fitted = fitHTML(body.html, body.text);
      await displayReply(it, { htmlBody: fitted.html }, replyAll);
      const notice = fitted.mode === "plain" ? "reply.plain" : fitted.mode === "truncated" ? "reply.truncated" : "";
      return { notice };
    },
    /**
     * attachDraft hands a courrier or a note (file: {name, mediaType, data:
     * base64}) to Outlook: attached to the item being composed
     * (addFileAttachmentFromBase64Async), or to a reply to the message it was
     * written for (displayReplyFormAsync with a base64 attachment, Mailbox
     * 1.15), which the agent completes and sends.
     */
    async attachDraft(file, forMessage) {
      const it = item();
      if (!it) throw new ApiError({ code: "message_not_found" });
      if (typeof it.addFileAttachmentFromBase64Async === "function") {
        await officeCall((cb) => it.addFileAttachmentFromBase64Async(file.data, file.name, { isInline: false }, cb));
        return { notice: "" };
      }
      if (forMessage && !isItem(forMessage, it)) throw new ApiError({ code: "message_changed" });
      const req = Office.context && Office.context.requirements;
      if (req && typeof req.isSetSupported === "function" && !req.isSetSupported("Mailbox", "1.15")) throw new ApiError({ code: "attach_unsupported" });
      await displayReply(it, { attachments: [{ type: "base64", name: file.name, base64file: file.data }] }, false);
      return { notice: "" };
    },
    attachmentMode: () => "upload",
    async attachmentFile(att) {
      const it = item();
      if (!it || typeof it.getAttachmentContentAsync !== "function") throw new ApiError({ code: "not_implemented" });
      const value = await new Promise((resolve, reject) => {
        it.getAttachmentContentAsync(att.id, (res) => {
          if (res.status === "failed" || (Office.AsyncResultStatus && res.status === Office.AsyncResultStatus.Failed)) {
            reject(new ApiError({ code: "attachment_not_found" }));
          } else resolve(res.value);
        });
      });
      return contentToFile(value, att);
    },
  };
}

/** isItem says whether the Office item it is the message cur was described from. */
export function isItem(cur, it) {
  if (cur.itemId || it.itemId) return cur.itemId === (it.itemId || "");
  return cur.internetMessageId === (typeof it.internetMessageId === "string" ? it.internetMessageId : "");
}

/** describeItem builds the panel's current message from an Office item. */
export function describeItem(it, mb, Office, sources) {
  const restVersion = Office.MailboxEnums && Office.MailboxEnums.RestVersion ? Office.MailboxEnums.RestVersion.v2_0 : "v2.0";
  let restId = "";
  if (it.itemId && mb && typeof mb.convertToRestId === "function") {
    restId = mb.convertToRestId(it.itemId, restVersion);
  }
  const internetMessageId = typeof it.internetMessageId === "string" ? it.internetMessageId : "";
  const ref =
    sources.includes("graph") && restId
      ? { source: "graph", id: restId, conversationId: it.conversationId || "" }
      : { source: "imap", messageId: internetMessageId };
  return {
    ref,
    subject: typeof it.subject === "string" ? it.subject : "",
    markings: [],
    itemId: it.itemId || "",
    internetMessageId,
    restId,
    conversationId: it.conversationId || "",
    attachments: (it.attachments || [])
      .filter((a) => !a.isInline)
      .map((a) => ({
        key: a.id,
        id: a.id,
        name: a.name || "",
        mediaType: a.contentType || "",
        size: a.size || 0,
        kind: a.attachmentType || "file",
        // The upload names the message carrying it, so its markings apply.
        ref,
      })),
  };
}

// displayReply opens the reply (or reply-all) form of it with data ({htmlBody, attachments}).
function displayReply(it, data, replyAll) {
  const asyncName = replyAll ? "displayReplyAllFormAsync" : "displayReplyFormAsync";
  const syncName = replyAll ? "displayReplyAllForm" : "displayReplyForm";
  if (typeof it[asyncName] === "function") return officeCall((cb) => it[asyncName](data, cb));
  if (typeof it[syncName] === "function") {
    it[syncName](data);
    return Promise.resolve();
  }
  return Promise.reject(new ApiError({ code: "not_implemented" }));
}

// officeCall runs an Office.js asynchronous call (fn given the callback) as a promise.
function officeCall(fn) {
  return new Promise((resolve, reject) => {
    fn((res) => {
      if (res && res.status === "failed") reject(new ApiError({ code: "internal", title: res.error && res.error.message }));
      else resolve(res && res.value);
    });
  });
}

/** contentToFile turns getAttachmentContentAsync's value into {blob, name}. */
export function contentToFile(value, att) {
  const name = att.name || "piece-jointe";
  switch (value && value.format) {
    case "base64":
      return { blob: new Blob([base64ToBytes(value.content)], { type: att.mediaType || "application/octet-stream" }), name };
    case "eml":
      return { blob: new Blob([value.content], { type: "message/rfc822" }), name: /\.eml$/i.test(name) ? name : name + ".eml" };
    case "iCalendar":
      return { blob: new Blob([value.content], { type: "text/calendar" }), name };
    default:
      // "url": a cloud attachment, whose bytes Outlook does not give.
      throw new ApiError({ code: "unsupported_document" });
  }
}


/** droppedFiles returns the files of an Outlook DragAndDropEvent "drop" as {name, blob}. */
export function droppedFiles(event) {
  const data = event && event.dragAndDropEventData;
  if (!data || data.type !== "drop" || !data.dataTransfer) return [];
  return Array.from(data.dataTransfer.files || [])
    .filter((f) => f && f.fileContent)
    .map((f) => ({ name: f.name || "piece-jointe", blob: f.fileContent }));
}
