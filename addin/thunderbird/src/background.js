// Plume's Thunderbird background script (MV3, ES module). The message
// display action opens the panel (panel/thunderbird.html, declared in the
// manifest); this script adds the "Résumer la pièce jointe avec Plume"
// context menu on attachments and opens the panel when it is clicked.

import { MENU_ID, menuEntry, handleMenuClick } from "./menu.js";

const m = globalThis.messenger || globalThis.browser;

function createMenu() {
  const title = (m.i18n && m.i18n.getUILanguage && m.i18n.getUILanguage().startsWith("en")) ? "Summarise the attachment with Plume" : undefined;
  m.menus.create(menuEntry(title), () => {
    // A duplicate id after a restart of the event page is harmless.
    void (m.runtime && m.runtime.lastError);
  });
}

m.runtime.onInstalled.addListener(createMenu);
m.runtime.onStartup.addListener(() => {
  m.menus.remove(MENU_ID).catch(() => {}).finally(createMenu);
});

m.menus.onClicked.addListener((info, tab) => {
  handleMenuClick(info, tab, { messenger: m }).catch((err) => {
    console.error("plume: attachment menu failed:", err && err.message ? err.message : "unknown error");
  });
});
