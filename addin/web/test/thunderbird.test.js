import { test } from "node:test";
import assert from "node:assert/strict";
import { createThunderbirdHost, describeMessage, rawToBase64, draftAboveQuote, PENDING_KEY as PANEL_KEY } from "../static/js/hosts/thunderbird.js";
import { createOIDC, checkDiscovery } from "../static/js/hosts/oidc.js";
import { withRetry } from "../static/js/retry.js";
import { MENU_ID, PENDING_KEY, PANEL_PATH, menuEntry, handleMenuClick, retry } from "../../thunderbird/src/menu.js";
import { webcrypto } from "node:crypto";
import { attachmentRequest } from "../static/js/views/attachments.js";
import { panelCtx, sentUpload } from "./helpers.js";

const REPLY_HTML =
  '<!DOCTYPE html><html><head><meta http-equiv="content-type" content="text/html; charset=UTF-8"></head><body><p><br></p>' +
  '<div class="moz-signature">-- <br>Julien Caron<br>Préfecture de la Somme</div>' +
  '<div class="moz-cite-prefix">Le 02/03/2026 à 09:00, Jean Dupont a écrit&nbsp;:<br></div><blockquote type="cite">Bonjour, voici le dossier.</blockquote></body></html>';
const REPLY_TEXT = "\n\n-- \nJulien Caron\n\nLe 02/03/2026 à 09:00, Jean Dupont a écrit :\n> Bonjour, voici le dossier.\n";

/** fakeMessenger is a plain-object messenger API with one displayed message; it records calls. */
function fakeMessenger(opts = {}) {
  const calls = [];
  const store = { ...(opts.store || {}) };
  let flakes = opts.flakes || 0;
  const listeners = {};
  const msg = { id: 17, headerMessageId: "dossier-7@ville.fr", subject: "Dossier de subvention" };
  const m = {
    calls,
    store,
    listeners,
    tabs: { query: async (q) => (calls.push(["tabs.query", q]), [{ id: 3, windowId: 9 }]) },
    messageDisplay: {
      getDisplayedMessage: async (tabId) => (calls.push(["getDisplayedMessage", tabId]), opts.noMessage ? null : msg),
      onMessageDisplayed: { addListener: (fn) => (listeners.displayed = fn) },
    },
    messages: {
      listAttachments: async (id) => {
        calls.push(["listAttachments", id]);
        if (flakes-- > 0) throw new Error("An unexpected error occurred");
        return [{ name: "budget.ods", contentType: "application/vnd.oasis.opendocument.spreadsheet", size: 5000, partName: "1.2" }];
      },
      getAttachmentFile: async (id, part) => {
        calls.push(["getAttachmentFile", id, part]);
        if (flakes-- > 0) throw new Error("An unexpected error occurred");
        return new File(["PK..."], "budget.ods", { type: "application/vnd.oasis.opendocument.spreadsheet" });
      },
      getRaw: async (id) => (calls.push(["getRaw", id]), opts.raw ?? "Subject: x\r\n\r\n\xe9t\xe9"),
    },
    compose: {
      // What Thunderbird's own reply holds: caret line, signature above the quote, attribution, quote.
      beginReply: async (id, type, details) => {
        calls.push(["beginReply", id, type, details]);
        return { id: 99 };
      },
      getComposeDetails: async (tabId) => (calls.push(["getComposeDetails", tabId]), opts.plain ? { isPlainText: true, plainTextBody: REPLY_TEXT } : { isPlainText: false, body: REPLY_HTML }),
      setComposeDetails: async (tabId, d) => calls.push(["setComposeDetails", tabId, d]),
      addAttachment: async (tabId, a) => calls.push(["addAttachment", tabId, a]),
    },
    storage: {
      local: {
        get: async (keys) => {
          const ks = Array.isArray(keys) ? keys : [keys];
          return Object.fromEntries(ks.filter((k) => k in store).map((k) => [k, store[k]]));
        },
        set: async (obj) => Object.assign(store, obj),
        remove: async (k) => delete store[k],
      },
    },
    messageDisplayAction: {
      openPopup: async (o) => {
        calls.push(["openPopup", o]);
        if (opts.popupFails) throw new Error("no popup");
        return true;
      },
    },
    windows: { create: async (o) => (calls.push(["windows.create", o]), { id: 5 }) },
  };
  return m;
}

const noSleep = async () => {};

test("thunderbird host: the displayed message gives its Message-ID and attachments (after start-up flakes)", async () => {
  const m = fakeMessenger({ flakes: 2 });
  const host = createThunderbirdHost({ messenger: m, sleep: noSleep });
  await host.init();
  const cur = await host.current();
  assert.deepEqual(cur.ref, { source: "imap", messageId: "<dossier-7@ville.fr>" });
  assert.equal(cur.attachments[0].partName, "1.2");
  assert.equal(m.calls.filter((c) => c[0] === "listAttachments").length, 3);
  assert.deepEqual(m.calls[0], ["tabs.query", { active: true, currentWindow: true }]);
});

test("thunderbird host: configuration from config.js, overridden by storage", async () => {
  const m = fakeMessenger({ store: { "plume.server": "https://plume.interieur.gouv.fr/" } });
  const host = createThunderbirdHost({ messenger: m, loadConfig: async () => ({ default: { server: "http://x", mode: "raw" } }) });
  await host.init();
  assert.equal(host.apiBase, "https://plume.interieur.gouv.fr");
  assert.equal(host.config.mode, "raw");
  const broken = createThunderbirdHost({ messenger: fakeMessenger(), loadConfig: async () => { throw new Error("404"); } });
  await broken.init();
  assert.equal(broken.apiBase, "http://127.0.0.1:8080");
});

test("thunderbird host: raw mode sends the MIME from getRaw in Base64", async () => {
  const m = fakeMessenger();
  const host = createThunderbirdHost({ messenger: m, loadConfig: async () => ({ default: { mode: "raw" } }) });
  await host.init();
  const cur = await host.current();
  const ref = await host.messageRef(cur);
  assert.equal(ref.source, "raw");
  assert.deepEqual(Buffer.from(ref.mime, "base64"), Buffer.from("Subject: x\r\n\r\n\xe9t\xe9", "latin1"));
});

test("rawToBase64 handles long binary strings and Files", async () => {
  const bin = Array.from({ length: 100000 }, (_, i) => String.fromCharCode(i % 256)).join("");
  assert.equal(await rawToBase64(bin), Buffer.from(bin, "latin1").toString("base64"));
  const bytes = new Uint8Array(70001).map((_, i) => (i * 7) % 256);
  assert.equal(await rawToBase64(new Blob([bytes])), Buffer.from(bytes).toString("base64"));
});

test("thunderbird host: a courrier opens Thunderbird's own reply with the file attached", async () => {
  const m = fakeMessenger();
  const host = createThunderbirdHost({ messenger: m });
  await host.init();
  const cur = await host.current();
  const file = { name: "note-visite.odt", mediaType: "application/vnd.oasis.opendocument.text", data: Buffer.from("PK\x03\x04odt").toString("base64") };
  await host.attachDraft(file, cur);
  // No body: Thunderbird keeps attribution, quote and signature.
  assert.deepEqual(m.calls.find((c) => c[0] === "beginReply"), ["beginReply", 17, "replyToSender", undefined]);
  const [, tab, att] = m.calls.find((c) => c[0] === "addAttachment");
  assert.equal(tab, 99);
  assert.equal(att.name, "note-visite.odt");
  assert.ok(att.file instanceof File);
  assert.equal(att.file.type, "application/vnd.oasis.opendocument.text");
  assert.equal(Buffer.from(await att.file.arrayBuffer()).toString("latin1"), "PK\x03\x04odt");
  await assert.rejects(host.attachDraft(file, { ...cur, id: 18 }), (e) => e.code === "message_changed");
  assert.equal(m.calls.filter((c) => c[0] === "beginReply").length, 1);
});

test("thunderbird host: the draft goes above the quote and signature Thunderbird's reply holds (sender / all)", async () => {
  const m = fakeMessenger();
  const host = createThunderbirdHost({ messenger: m });
  await host.init();
  await host.current();
  await host.insertReply({ text: "Bonjour", html: "<p>Bonjour</p>" }, true);
  // No body at beginReply: a body there replaces attribution, quote and signature.
  assert.deepEqual(m.calls.find((c) => c[0] === "beginReply"), ["beginReply", 17, "replyToAll", undefined]);
  const [, tab, set] = m.calls.find((c) => c[0] === "setComposeDetails");
  assert.equal(tab, 99);
  const body = set.body;
  assert.ok(body.startsWith('<!DOCTYPE html><html><head><meta http-equiv="content-type" content="text/html; charset=UTF-8"></head><body><p>Bonjour</p><p><br></p><div class="moz-signature">'), body);
  for (const kept of ["Julien Caron<br>Préfecture de la Somme", "Jean Dupont a écrit", '<blockquote type="cite">Bonjour, voici le dossier.</blockquote>']) assert.ok(body.includes(kept), kept);
  assert.ok(body.indexOf("<p>Bonjour</p>") < body.indexOf("moz-signature") && body.indexOf("moz-signature") < body.indexOf("moz-cite-prefix"));
  const m2 = fakeMessenger({ plain: true });
  const h2 = createThunderbirdHost({ messenger: m2 });
  await h2.init();
  await h2.current();
  await h2.insertReply({ text: "Madame,\n\nBien reçu.", html: "<p>Madame,</p>" }, false);
  assert.deepEqual(m2.calls.find((c) => c[0] === "beginReply"), ["beginReply", 17, "replyToSender", undefined]);
  assert.deepEqual(m2.calls.find((c) => c[0] === "setComposeDetails")[2], {
    plainTextBody: "Madame,\n\nBien reçu.\n\n-- \nJulien Caron\n\nLe 02/03/2026 à 09:00, Jean Dupont a écrit :\n> Bonjour, voici le dossier.\n",
  });
});

test("draftAboveQuote: bottom-posting identities and bodies without a caret line keep everything below the draft", () => {
  const bottom = '<html><body class="x"><div class="moz-cite-prefix">A a écrit :</div><blockquote type="cite">Q</blockquote><br><div class="moz-signature">-- <br>S</div></body></html>';
  assert.equal(draftAboveQuote({ body: bottom }, { html: "<p>D</p>" }).body, '<html><body class="x"><p>D</p><div class="moz-cite-prefix">A a écrit :</div><blockquote type="cite">Q</blockquote><br><div class="moz-signature">-- <br>S</div></body></html>');
  assert.equal(draftAboveQuote({ body: "<p>x</p>" }, { html: "<p>D</p>" }).body, "<p>D</p><p>x</p>");
  assert.deepEqual(draftAboveQuote({ isPlainText: true, plainTextBody: "" }, { text: "D" }), { plainTextBody: "D\n" });
});

test("thunderbird host: a draft written for one message is not inserted into another displayed since", async () => {
  const m = fakeMessenger();
  const host = createThunderbirdHost({ messenger: m });
  await host.init();
  const seen = [];
  host.onChange((c) => seen.push(c));
  const forA = await host.current();
  // Message 18 is displayed; the panel is told only once its attachments are listed.
  const told = m.listeners.displayed({ id: 3 }, { id: 18, headerMessageId: "autre@ville.fr", subject: "Autre" });
  await assert.rejects(host.insertReply({ text: "a", html: "<p>a</p>" }, false, forA), (e) => e.code === "message_changed");
  await told;
  assert.equal(seen[0].id, 18);
  assert.deepEqual(m.calls.filter((c) => c[0] === "beginReply"), []);
  await host.insertReply({ text: "b", html: "<p>b</p>" }, false, seen[0]);
  assert.deepEqual(m.calls.find((c) => c[0] === "beginReply"), ["beginReply", 18, "replyToSender", undefined]);
  assert.ok(m.calls.find((c) => c[0] === "setComposeDetails")[2].body.includes("<body><p>b</p>"));
});

test("thunderbird host: attachment files are read with getAttachmentFile, retried", async () => {
  const m = fakeMessenger();
  const host = createThunderbirdHost({ messenger: m, sleep: noSleep });
  await host.init();
  const cur = await host.current();
  m.calls.length = 0;
  const f = await host.attachmentFile(cur.attachments[0]);
  assert.equal(f.name, "budget.ods");
  assert.deepEqual(m.calls, [["getAttachmentFile", 17, "1.2"]]);
  assert.equal(host.attachmentMode(cur.attachments[0]), "upload");
});

test("thunderbird host: token from OIDC when configured, else the stored development token", async () => {
  const m = fakeMessenger({ store: { "plume.token": "dev-token-0123456789" } });
  const host = createThunderbirdHost({ messenger: m });
  await host.init();
  assert.equal(await host.token(), "dev-token-0123456789");
  assert.equal(host.auth.available, false);
});

test("menu entry is on attachments", () => {
  assert.deepEqual(menuEntry(), { id: MENU_ID, title: "Résumer la pièce jointe avec Plume", contexts: ["message_attachments", "all_message_attachments"] });
  assert.equal(PENDING_KEY, PANEL_KEY, "background and panel agree on the storage key");
  assert.equal(PANEL_PATH, "panel/thunderbird.html");
});

test("menu click: stores the chosen attachment and opens the popup; the panel picks it up once", async () => {
  const m = fakeMessenger();
  const info = { menuItemId: MENU_ID, attachments: [{ name: "arrêté.pdf", contentType: "application/pdf", size: 1234, partName: "2" }] };
  const rec = await handleMenuClick(info, { id: 3, windowId: 9 }, { messenger: m, now: () => 1000, sleep: noSleep });
  assert.equal(rec.messageId, 17);
  assert.deepEqual(m.store[PENDING_KEY].attachments, [{ partName: "2", name: "arrêté.pdf", contentType: "application/pdf", size: 1234 }]);
  assert.deepEqual(m.calls.find((c) => c[0] === "openPopup"), ["openPopup", { windowId: 9 }]);
  assert.equal(m.calls.find((c) => c[0] === "windows.create"), undefined);

  const host = createThunderbirdHost({ messenger: m, now: () => 5000 });
  await host.init();
  const pending = await host.pendingAttachments();
  assert.deepEqual(pending.map((a) => [a.messageId, a.partName, a.name]), [[17, "2", "arrêté.pdf"]]);
  assert.deepEqual(await host.pendingAttachments(), [], "consumed");
});

test("menu click: falls back to a popup window carrying the key when openPopup fails", async () => {
  const m = fakeMessenger({ popupFails: true });
  const rec = await handleMenuClick({ menuItemId: MENU_ID, attachments: [{ name: "a.pdf", partName: "2" }], selectedMessages: { messages: [{ id: 4, headerMessageId: "h@x" }] } }, { id: 3 }, { messenger: m, now: () => 1 });
  const w = m.calls.find((c) => c[0] === "windows.create");
  assert.equal(w[1].url, "panel/thunderbird.html?attachment=" + encodeURIComponent(rec.key));
  assert.equal(w[1].type, "popup");
  assert.equal(rec.messageId, 4, "selected message wins over the displayed one");
  // An old record is still honoured when the window names its key.
  const host = createThunderbirdHost({ messenger: m, now: () => 10_000_000, search: "?attachment=" + encodeURIComponent(rec.key) });
  await host.init();
  assert.equal((await host.pendingAttachments()).length, 1);
});

test("menu click: lists attachments (with retries) when the click carries none; ignores other menus", async () => {
  const m = fakeMessenger({ flakes: 2 });
  const rec = await handleMenuClick({ menuItemId: MENU_ID }, { id: 3, windowId: 1 }, { messenger: m, now: () => 1, sleep: noSleep });
  assert.equal(rec.attachments[0].partName, "1.2");
  assert.equal(m.calls.filter((c) => c[0] === "listAttachments").length, 3);
  assert.equal(await handleMenuClick({ menuItemId: "other" }, {}, { messenger: m }), null);
  assert.equal(await handleMenuClick({ menuItemId: MENU_ID }, { id: 3 }, { messenger: fakeMessenger({ noMessage: true }) }), null);
});

test("a stale pending attachment (popup opened later by hand) is ignored", async () => {
  const m = fakeMessenger({ store: { [PENDING_KEY]: { key: "k", at: 0, messageId: 1, attachments: [{ partName: "2" }] } } });
  const host = createThunderbirdHost({ messenger: m, now: () => 10 * 60 * 1000 });
  await host.init();
  assert.deepEqual(await host.pendingAttachments(), []);
  assert.equal(m.store[PENDING_KEY], undefined);
});

const retryCases = [
  { name: "succeeds first time", fails: 0, attempts: 4, ok: true, calls: 1, sleeps: [] },
  { name: "succeeds after flakes", fails: 2, attempts: 4, ok: true, calls: 3, sleeps: [250, 500] },
  { name: "gives up", fails: 9, attempts: 3, ok: false, calls: 3, sleeps: [250, 500] },
];
for (const c of retryCases) {
  for (const [label, impl] of [["panel withRetry", (fn, sleep, n) => withRetry(fn, { sleep, attempts: n })], ["background retry", (fn, sleep, n) => retry(fn, sleep, n)]]) {
    test(`${label}: ${c.name}`, async () => {
      let calls = 0;
      const sleeps = [];
      const p = impl(async () => {
        calls++;
        if (calls <= c.fails) throw new Error("flake");
        return "ok";
      }, async (ms) => sleeps.push(ms), c.attempts);
      if (c.ok) assert.equal(await p, "ok");
      else await assert.rejects(p, /flake/);
      assert.equal(calls, c.calls);
      assert.deepEqual(sleeps, c.sleeps);
    });
  }
}

test("OIDC: code flow with PKCE through launchWebAuthFlow, then refresh", async () => {
  let clock = 0;
  const posts = [];
  let authUrl;
  const identity = {
    getRedirectURL: () => "https://ext.extensions.allizom.org/",
    launchWebAuthFlow: async ({ url, interactive }) => {
      assert.equal(interactive, true);
      authUrl = new URL(url);
      return "https://ext.extensions.allizom.org/?code=C0DE&state=" + authUrl.searchParams.get("state");
    },
  };
  const fetch = async (url, init) => {
    if (url.endsWith("/.well-known/openid-configuration")) {
      return new Response(JSON.stringify({ issuer: "https://sso.gouv.fr/", authorization_endpoint: "https://sso.gouv.fr/auth", token_endpoint: "https://sso.gouv.fr/token" }));
    }
    posts.push(Object.fromEntries(new URLSearchParams(init.body)));
    return new Response(JSON.stringify({ access_token: "AT" + posts.length, refresh_token: "RT", expires_in: 60 }));
  };
  const oidc = createOIDC({ issuer: "https://sso.gouv.fr/", clientId: "plume-tb", scope: "openid plume" }, { identity, fetch, crypto: webcrypto, now: () => clock });
  assert.equal(await oidc.token(), "AT1");
  assert.equal(authUrl.origin + authUrl.pathname, "https://sso.gouv.fr/auth");
  assert.equal(authUrl.searchParams.get("code_challenge_method"), "S256");
  assert.equal(posts[0].grant_type, "authorization_code");
  assert.equal(posts[0].code, "C0DE");
  const challenge = Buffer.from(await webcrypto.subtle.digest("SHA-256", new TextEncoder().encode(posts[0].code_verifier))).toString("base64url");
  assert.equal(authUrl.searchParams.get("code_challenge"), challenge);
  assert.equal(await oidc.token(), "AT1", "cached while valid");
  clock = 59_000;
  assert.equal(await oidc.token(), "AT2");
  assert.equal(posts[1].grant_type, "refresh_token");
});

test("OIDC: a state mismatch is refused", async () => {
  const identity = { getRedirectURL: () => "https://r/", launchWebAuthFlow: async () => "https://r/?code=x&state=forged" };
  const oidc = createOIDC({ authorizationEndpoint: "https://a/auth", tokenEndpoint: "https://a/token", clientId: "c" }, { identity, fetch: async () => assert.fail("no token request"), crypto: webcrypto });
  await assert.rejects(oidc.token(), /state mismatch/);
});

test("describeMessage accepts headerMessageId with or without brackets", () => {
  assert.deepEqual(describeMessage({ id: 1, headerMessageId: "<a@b>" }, []).ref, { source: "imap", messageId: "<a@b>" });
});

test("thunderbird host: an attachment upload names the message carrying it", async () => {
  const m = fakeMessenger();
  const host = createThunderbirdHost({ messenger: m, sleep: noSleep });
  await host.init();
  const cur = await host.current();
  const sent = await sentUpload(await attachmentRequest(panelCtx(host, cur), cur.attachments[0], { language: "fr" }));
  assert.equal(sent.file.name, "budget.ods");
  assert.deepEqual(sent.message, { source: "imap", messageId: "<dossier-7@ville.fr>" });
});

test("thunderbird host: in raw mode the upload carries the raw MIME of its message", async () => {
  const m = fakeMessenger({ store: { "plume.mode": "raw" } });
  const host = createThunderbirdHost({ messenger: m, sleep: noSleep });
  await host.init();
  const cur = await host.current();
  const sent = await sentUpload(await attachmentRequest(panelCtx(host, cur), cur.attachments[0], {}));
  assert.equal(sent.message.source, "raw");
  assert.equal(Buffer.from(sent.message.mime, "base64").toString("latin1"), "Subject: x\r\n\r\n\xe9t\xe9");
  assert.deepEqual(m.calls.find((c) => c[0] === "getRaw"), ["getRaw", 17]);
});

test("thunderbird host: a message without Message-ID is named by its raw MIME", async () => {
  const m = fakeMessenger();
  const host = createThunderbirdHost({ messenger: m, sleep: noSleep });
  await host.init();
  const cur = describeMessage({ id: 23, headerMessageId: "" }, [{ name: "a.pdf", partName: "2" }]);
  const sent = await sentUpload(await attachmentRequest(panelCtx(host, cur), cur.attachments[0], {}));
  assert.equal(sent.message.source, "raw");
  assert.deepEqual(m.calls.find((c) => c[0] === "getRaw"), ["getRaw", 23]);
});

test("thunderbird menu: the attachment chosen on another message is uploaded with that message's reference", async () => {
  const m = fakeMessenger();
  const info = { menuItemId: MENU_ID, attachments: [{ name: "note.pdf", partName: "2" }], selectedMessages: { messages: [{ id: 4, headerMessageId: "<note-dr@x>" }] } };
  await handleMenuClick(info, { id: 3, windowId: 9 }, { messenger: m, now: () => 1000, sleep: noSleep });
  const host = createThunderbirdHost({ messenger: m, now: () => 2000, sleep: noSleep });
  await host.init();
  const cur = await host.current(); // the displayed message is another one (17)
  const [att] = await host.pendingAttachments();
  const sent = await sentUpload(await attachmentRequest(panelCtx(host, cur), att, {}));
  assert.deepEqual(sent.message, { source: "imap", messageId: "<note-dr@x>" });
  assert.deepEqual(m.calls.find((c) => c[0] === "getAttachmentFile"), ["getAttachmentFile", 4, "2"]);
});

test("OIDC: a discovery document pointing elsewhere is refused", () => {
  const ok = { issuer: "https://sso.gouv.fr/realms/a", authorization_endpoint: "https://sso.gouv.fr/realms/a/auth", token_endpoint: "https://sso.gouv.fr/realms/a/token" };
  checkDiscovery("https://sso.gouv.fr/realms/a/", ok);
  for (const bad of [
    { ...ok, issuer: "https://evil.example/realms/a" },
    { ...ok, token_endpoint: "http://sso.gouv.fr/realms/a/token" },
    { ...ok, token_endpoint: "https://evil.example/token" },
    { ...ok, authorization_endpoint: "https://sso.gouv.fr.evil.example/auth" },
    { ...ok, token_endpoint: "not a url" },
  ]) {
    assert.throws(() => checkDiscovery("https://sso.gouv.fr/realms/a", bad), /oidc:/);
  }
  checkDiscovery("http://127.0.0.1:8081", { issuer: "http://127.0.0.1:8081", authorization_endpoint: "http://127.0.0.1:8081/auth", token_endpoint: "http://127.0.0.1:8081/token" });
});
