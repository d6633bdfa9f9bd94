// Plume extension configuration. `plume manifest` replaces this file in the
// .xpi with the server's values; the options stored by the user in
// storage.local ("plume.server", "plume.mode", "plume.token") take precedence.
export default {
  // server is the Plume server's origin.
  server: "http://127.0.0.1:8080",
  // mode is "imap" (the server reads the mailbox by Message-ID) or "raw"
  // (the extension sends the message's MIME, from messages.getRaw).
  mode: "imap",
  // oidc, when set, signs in with identity.launchWebAuthFlow:
  // { issuer, clientId, scope, authorizationEndpoint?, tokenEndpoint? }.
  oidc: null,
};
