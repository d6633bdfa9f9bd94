// Entry point: picks the host adapter named by <html data-host="…"> and starts the panel.

import { start } from "./app.js";
import { createBrowserHost } from "./hosts/browser.js";

async function main() {
  const kind = document.documentElement.dataset.host || "browser";
  let host;
  if (kind === "outlook") {
    const { createOutlookHost } = await import("./hosts/outlook.js");
    host = createOutlookHost({ Office: globalThis.Office, storage: safeStorage(), search: location.search, msal: globalThis.msal });
  } else if (kind === "thunderbird") {
    const { createThunderbirdHost } = await import("./hosts/thunderbird.js");
    const messenger = globalThis.messenger || globalThis.browser;
    host = createThunderbirdHost({
      messenger,
      // With OIDC the background holds the sign-in (its auth.js).
      broker: (request) => messenger.runtime.sendMessage(request),
      search: location.search,
      // config.js sits at the extension's top folder; the panel is under panel/.
      loadConfig: () => import("../../config.js"),
    });
  } else {
    host = createBrowserHost({ storage: safeStorage(), clipboard: navigator.clipboard });
  }
  await start(document.getElementById("app"), host);
}

function safeStorage() {
  try {
    return globalThis.localStorage;
  } catch {
    return null;
  }
}

main().catch((err) => {
  const el = document.getElementById("app");
  if (!el) return;
  el.setAttribute("data-error", err && err.message ? err.message : "start failed");
  el.textContent = "Le panneau Plume n'a pas pu démarrer : rechargez-le. — The Plume panel could not start: reload it.";
});
