// OIDC sign-in for the Thunderbird extension: authorisation code flow with
// PKCE through identity.launchWebAuthFlow, token kept in memory only.
//
// config: {issuer, authorizationEndpoint?, tokenEndpoint?, clientId, scope?}
// (endpoints are discovered from the issuer when not given).

/**
 * createOIDC returns {token(interactive), signOut()}.
 * deps: {identity, fetch, crypto, now}.
 */
export function createOIDC(config, deps) {
  const now = deps.now || (() => Date.now());
  const doFetch = deps.fetch || ((...a) => globalThis.fetch(...a));
  const crypto = deps.crypto || globalThis.crypto;
  let endpoints = null;
  let tokens = null; // {access, refresh, expires}

  async function discover() {
    if (endpoints) return endpoints;
    if (config.authorizationEndpoint && config.tokenEndpoint) {
      endpoints = { authorization: config.authorizationEndpoint, token: config.tokenEndpoint };
      return endpoints;
    }
    const res = await doFetch(config.issuer.replace(/\/+$/, "") + "/.well-known/openid-configuration");
    if (!res.ok) throw new Error("oidc: discovery failed");
    const doc = await res.json();
    checkDiscovery(config.issuer, doc);
    endpoints = { authorization: doc.authorization_endpoint, token: doc.token_endpoint };
    return endpoints;
  }

  async function exchange(params) {
    const ep = await discover();
    const res = await doFetch(ep.token, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams(params).toString(),
    });
    if (!res.ok) throw new Error("oidc: token request refused");
    const t = await res.json();
    if (!t.access_token) throw new Error("oidc: no access token");
    tokens = {
      access: t.access_token,
      refresh: t.refresh_token || (tokens && tokens.refresh) || "",
      expires: now() + (Number(t.expires_in) > 0 ? Number(t.expires_in) : 300) * 1000,
    };
    return tokens.access;
  }

  async function interactiveFlow() {
    const ep = await discover();
    const verifier = randomString(crypto, 32);
    const state = randomString(crypto, 16);
    const challenge = await s256(crypto, verifier);
    const redirectUri = deps.identity.getRedirectURL();
    const url = new URL(ep.authorization);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: config.clientId,
      redirect_uri: redirectUri,
      scope: config.scope || "openid",
      state,
      code_challenge: challenge,
      code_challenge_method: "S256",
    }).toString();
    const back = await deps.identity.launchWebAuthFlow({ url: url.toString(), interactive: true });
    const q = new URL(back).searchParams;
    if (q.get("state") !== state) throw new Error("oidc: state mismatch");
    if (q.get("error") || !q.get("code")) throw new Error("oidc: sign-in refused");
    return exchange({ grant_type: "authorization_code", code: q.get("code"), redirect_uri: redirectUri, client_id: config.clientId, code_verifier: verifier });
  }

  return {
    /** token returns a valid access token, refreshing or signing in as needed. */
    async token(interactive = true) {
      if (tokens && tokens.expires - 30000 > now()) return tokens.access;
      if (tokens && tokens.refresh) {
        try {
          return await exchange({ grant_type: "refresh_token", refresh_token: tokens.refresh, client_id: config.clientId });
        } catch {
          tokens = null;
        }
      }
      if (!interactive) return null;
      return interactiveFlow();
    },
    signOut() {
      tokens = null;
    },
  };
}

function b64url(bytes) {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(crypto, n) {
  const a = new Uint8Array(n);
  crypto.getRandomValues(a);
  return b64url(a);
}

async function s256(crypto, verifier) {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return b64url(new Uint8Array(d));
}

/**
 * checkDiscovery refuses a discovery document that would send the agent's
 * code or refresh token elsewhere than the configured issuer: its issuer
 * must be the configured one, and both endpoints https (http only on
 * loopback) on the issuer's own origin.
 */
export function checkDiscovery(issuer, doc) {
  const trim = (u) => String(u || "").replace(/\/+$/, "");
  if (trim(doc.issuer) !== trim(issuer)) throw new Error("oidc: discovery names another issuer");
  const origin = new URL(issuer).origin;
  for (const name of ["authorization_endpoint", "token_endpoint"]) {
    let u;
    try {
      u = new URL(doc[name]);
    } catch {
      throw new Error("oidc: discovery without a valid " + name);
    }
    const loopback = u.hostname === "localhost" || u.hostname === "127.0.0.1" || u.hostname === "[::1]";
    if (u.protocol !== "https:" && !(u.protocol === "http:" && loopback)) throw new Error("oidc: " + name + " is not https");
    if (u.origin !== origin) throw new Error("oidc: " + name + " is not on the issuer's origin");
  }
}
