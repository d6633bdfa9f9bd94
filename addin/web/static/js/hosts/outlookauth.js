// Sign-in for the Outlook task pane, behind a small adapter.
//
// Modes, from the task pane URL (outlook.html?auth=…&clientId=…&scope=…):
//   auth=none (default) — no token (demo, or a reverse proxy that authenticates);
//   auth=naa — MSAL Nested App Authentication, used only when the host page
//     exposes MSAL (globalThis.msal.createNestablePublicClientApplication).
//     Plume does not bundle MSAL (no third-party script besides Office.js), so
//     without it this mode falls back to Office SSO;
//   auth=sso — Office.auth.getAccessToken (Office SSO, part of Office.js).

/** createOutlookAuth returns {mode, available, token(), signIn(), signOut()}. */
export function createOutlookAuth({ Office, msal, params }) {
  const mode = params.get("auth") || "none";
  const clientId = params.get("clientId") || "";
  const authority = params.get("authority") || "https://login.microsoftonline.com/common";
  const scope = params.get("scope") || "";
  let pca = null;
  let signedOut = false;

  const req = Office && Office.context && Office.context.requirements;
  const naaSet = !req || typeof req.isSetSupported !== "function" || req.isSetSupported("NestedAppAuth", "1.1");
  const hasNAA = naaSet && !!(msal && typeof msal.createNestablePublicClientApplication === "function");
  const hasSSO = !!(Office && Office.auth && typeof Office.auth.getAccessToken === "function");
  const kind = mode === "naa" && hasNAA ? "naa" : (mode === "naa" || mode === "sso") && hasSSO ? "sso" : mode === "none" ? "none" : "unavailable";

  async function naaToken(interactive) {
    if (!pca) pca = await msal.createNestablePublicClientApplication({ auth: { clientId, authority } });
    const req = { scopes: [scope] };
    try {
      const r = await pca.acquireTokenSilent(req);
      return r.accessToken;
    } catch (err) {
      if (!interactive) throw err;
      const r = await pca.acquireTokenPopup(req);
      return r.accessToken;
    }
  }

  async function ssoToken(interactive) {
    return Office.auth.getAccessToken({ allowSignInPrompt: interactive, allowConsentPrompt: interactive, forMSGraphAccess: false });
  }

  async function token(interactive = true) {
    if (signedOut) return null;
    if (kind === "naa") return naaToken(interactive);
    if (kind === "sso") return ssoToken(interactive);
    return null;
  }

  return {
    mode,
    kind,
    available: kind === "naa" || kind === "sso",
    token: () => token(true),
    async signIn() {
      signedOut = false;
      return token(true);
    },
    async signOut() {
      signedOut = true;
    },
  };
}
