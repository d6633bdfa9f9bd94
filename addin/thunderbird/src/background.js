// Plume's Thunderbird background script (MV3, ES module). The message
// display action opens the panel (panel/thunderbird.html, declared in the
// manifest); this script
// - adds the "Résumer la pièce jointe avec Plume" context menu on
//   attachments and opens the panel when it is clicked (menu.js);
// - answers the « Plume » banner of the displayed message (banner.js,
//   display/banner.js) with the panel's API client and host;
// - owns the sign-in: with OIDC the popup asks it for tokens (auth.js).

import { MENU_ID, menuEntry, handleMenuClick } from "./menu.js";
import { createBanner, panelRules, CHECK, SUMMARY } from "./banner.js";
import { handleAuth, TOKEN, SIGN_OUT } from "./auth.js";
import { createThunderbirdHost, describeMessage } from "./panel/js/hosts/thunderbird.js";
import { createClient } from "./panel/js/api.js";
import { blockedBy } from "./panel/js/app.js";
import { summaryModel, summaryText } from "./panel/js/views/summary.js";
import { describe } from "./panel/js/problem.js";
import { t } from "./panel/js/i18n.js";

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

// The background's host: configuration (config.js, then storage.local) and
// sign-in, made once and made again when the server or the mode changes.
let hostReady = null;
function host() {
  if (!hostReady) {
    const h = createThunderbirdHost({ messenger: m, loadConfig: () => import("./config.js") });
    hostReady = h.init().then(
      () => h,
      (err) => {
        hostReady = null;
        throw err;
      },
    );
  }
  return hostReady;
}
m.storage.onChanged.addListener((changes) => {
  if (changes["plume.server"] || changes["plume.mode"]) hostReady = null;
});

const banner = createBanner({
  messenger: m,
  host,
  client: (h) => createClient({ base: h.apiBase, token: () => h.token() }),
  describeMessage,
  ...panelRules({ blockedBy, t, summaryModel, summaryText, describe }),
});

m.runtime.onMessage.addListener((msg, sender) => {
  const type = msg && msg.type;
  if (type === CHECK || type === SUMMARY) return banner.handle(msg, sender);
  if (type === TOKEN || type === SIGN_OUT) return host().then((h) => handleAuth(msg, sender, h, m.runtime));
  return undefined;
});
