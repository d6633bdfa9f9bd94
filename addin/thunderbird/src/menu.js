// The "Résumer la pièce jointe avec Plume" context menu on attachments:
// remember which attachments were chosen (message id + part names) in
// storage.local, then open the panel, which reads the files with
// messages.getAttachmentFile and streams their summaries.

/** MENU_ID is the menu entry's id. */
export const MENU_ID = "plume-summarize-attachment";

/** PENDING_KEY is the storage.local key the panel reads (see the panel's hosts/thunderbird.js). */
export const PENDING_KEY = "plume.pendingAttachment";

/** PANEL_PATH is the panel page inside the extension. */
export const PANEL_PATH = "panel/thunderbird.html";

/** menuEntry is the menus.create argument. */
export function menuEntry(title = "Résumer la pièce jointe avec Plume") {
  return { id: MENU_ID, title, contexts: ["message_attachments", "all_message_attachments"] };
}

/**
 * retry calls fn up to attempts times, sleeping between attempts: Thunderbird's
 * listAttachments / getAttachmentFile fail now and then while it is still
 * syncing after start-up ("An unexpected error occurred").
 */
export async function retry(fn, sleep, attempts = 4, delays = [250, 500, 1000]) {
  let last;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      if (i < attempts - 1) await sleep(delays[Math.min(i, delays.length - 1)]);
    }
  }
  throw last;
}

const defaultSleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * handleMenuClick handles menus.onClicked. deps: {messenger, now, sleep}.
 * Returns the stored record, or null when the click was not ours or had no attachment.
 */
export async function handleMenuClick(info, tab, deps) {
  if (!info || info.menuItemId !== MENU_ID) return null;
  const m = deps.messenger;
  const sleep = deps.sleep || defaultSleep;
  const now = deps.now || (() => Date.now());
  const message = await clickedMessage(info, tab, m);
  if (!message) return null;
  let atts = Array.isArray(info.attachments) ? info.attachments : [];
  if (!atts.length) atts = await retry(() => m.messages.listAttachments(message.id), sleep);
  atts = atts.filter((a) => a && a.partName);
  if (!atts.length) return null;
  const at = now();
  const record = {
    key: String(at) + "-" + message.id,
    at,
    messageId: message.id,
    message: { id: message.id, headerMessageId: message.headerMessageId || "", subject: message.subject || "" },
    attachments: atts.map((a) => ({ partName: a.partName, name: a.name || "", contentType: a.contentType || "", size: a.size || 0 })),
  };
  await m.storage.local.set({ [PENDING_KEY]: record });
  await openPanel(m, tab, record.key);
  return record;
}

async function clickedMessage(info, tab, m) {
  const sel = info.selectedMessages;
  const list = sel && Array.isArray(sel.messages) ? sel.messages : Array.isArray(sel) ? sel : [];
  if (list.length) return list[0];
  if (!tab || !m.messageDisplay) return null;
  if (typeof m.messageDisplay.getDisplayedMessage === "function") {
    const msg = await m.messageDisplay.getDisplayedMessage(tab.id);
    if (msg) return msg;
  }
  if (typeof m.messageDisplay.getDisplayedMessages === "function") {
    const r = await m.messageDisplay.getDisplayedMessages(tab.id);
    const arr = Array.isArray(r) ? r : (r && r.messages) || [];
    if (arr[0]) return arr[0];
    // Thunderbird 153 hands the attachment menu the 3-pane tab's message pane
    // as a tab of its own, which displays nothing: ask the active tab instead.
    const [active] = m.tabs ? await m.tabs.query({ active: true, lastFocusedWindow: true }) : [];
    if (active && active.id !== tab.id) return clickedMessage({}, active, m);
  }
  return null;
}

/**
 * openPanel opens the message display action's popup over the message; when
 * Thunderbird cannot (no displayed message in that window, older version),
 * it opens the panel in a small popup window instead.
 */
export async function openPanel(m, tab, key) {
  if (m.messageDisplayAction && typeof m.messageDisplayAction.openPopup === "function") {
    // The message pane of a 3-pane tab comes as a tab whose windowId no
    // window has (Thunderbird 153): then try the current window.
    for (const opts of tab && tab.windowId ? [{ windowId: tab.windowId }, undefined] : [undefined]) {
      try {
        const opened = await m.messageDisplayAction.openPopup(opts);
        if (opened !== false) return "popup";
      } catch {
        // try the next, then fall back to a window
      }
    }
  }
  await m.windows.create({ url: PANEL_PATH + "?attachment=" + encodeURIComponent(key), type: "popup", width: 420, height: 720 });
  return "window";
}
