// The background owns the sign-in. With OIDC the access and refresh tokens
// live in the background page's memory only (never in storage): the popup
// and the banner ask it for a token instead of signing in themselves, so one
// sign-in serves both and outlives the popup, which forgets everything each
// time it closes. A Thunderbird restart, or the suspension of the idle
// background page, forgets the tokens: the next request signs in again
// (launchWebAuthFlow, silent when the identity provider's session is alive).

/** TOKEN asks the background for an access token ({token} or {token: null}). */
export const TOKEN = "plume.auth.token";

/** SIGN_OUT asks the background to forget its tokens. */
export const SIGN_OUT = "plume.auth.signout";

/**
 * fromExtensionPage tells whether sender is one of the extension's own pages
 * (the popup, or the panel in a window): a message display script runs in
 * the mail's document, whose URL is the message's, and never gets a token.
 */
export function fromExtensionPage(sender, runtime) {
  if (!sender || sender.id !== runtime.id || typeof sender.url !== "string") return false;
  return sender.url.startsWith(runtime.getURL("/"));
}

/**
 * handleAuth answers TOKEN and SIGN_OUT from the extension's pages with the
 * background's host (hosts/thunderbird.js, initialised); undefined for any
 * other message or sender.
 */
export async function handleAuth(msg, sender, host, runtime) {
  if (!msg || (msg.type !== TOKEN && msg.type !== SIGN_OUT)) return undefined;
  if (!fromExtensionPage(sender, runtime)) return undefined;
  if (msg.type === SIGN_OUT) {
    await host.auth.signOut();
    return { ok: true };
  }
  return { token: (await host.ownToken()) || null };
}
