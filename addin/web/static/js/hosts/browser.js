// The plain-browser host (plume demo, evaluation): the user picks a thread
// from the demo mailbox; "inserting" a reply shows it in the panel and copies
// it, since there is no mail client to hand it to.

/**
 * createBrowserHost returns the host adapter.
 * env: {location, storage (localStorage-like), clipboard}.
 */
export function createBrowserHost(env = {}) {
  const storage = env.storage || null;
  const clipboard = env.clipboard || null;
  let current = null;
  const listeners = [];
  return {
    name: "browser",
    picker: true,
    apiBase: "",
    async init() {},
    async token() {
      return storage ? storage.getItem("plume.token") : null;
    },
    prefs: prefsOf(storage),
    /** select makes a thread of GET /threads the current message. */
    select(thread) {
      current = thread ? fromThread(thread) : null;
      for (const cb of listeners) cb(current);
    },
    async current() {
      return current;
    },
    onChange(cb) {
      listeners.push(cb);
    },
    /** insertReply has no mail client here: it copies the text and asks the panel to preview it. */
    async insertReply(body, replyAll) {
      if (clipboard) {
        try {
          await clipboard.writeText(body.text);
        } catch {
          // clipboard refused (no user gesture, permissions): the preview still shows the text
        }
      }
      return { preview: { text: body.text, html: body.html, replyAll: !!replyAll } };
    },
    attachmentMode: () => "partPath",
    async attachmentFile() {
      throw new Error("browser host reads attachments by part path");
    },
  };
}

/** fromThread turns an entry of GET /threads into the panel's current message. */
export function fromThread(th) {
  return {
    ref: { source: "imap", messageId: th.messageId },
    subject: th.subject || "",
    markings: th.markings || [],
    attachments: (th.attachments || []).map((a, i) => ({
      key: (a.messageId || th.messageId) + ":" + (a.partPath || String(i)),
      name: a.name || "",
      mediaType: a.mediaType || "",
      size: a.size || 0,
      partPath: a.partPath || "",
      // /threads lists the attachments of the whole thread, each with the message carrying it.
      ref: { source: "imap", messageId: a.messageId || th.messageId },
    })),
  };
}

/** prefsOf wraps a localStorage-like object as async prefs. */
export function prefsOf(storage) {
  return {
    async get(key) {
      try {
        return storage ? storage.getItem("plume." + key) : null;
      } catch {
        return null;
      }
    },
    async set(key, value) {
      try {
        if (storage) storage.setItem("plume." + key, value);
      } catch {
        // private mode or storage disabled: preferences last for the session only
      }
    },
  };
}
