import { test } from "node:test";
import assert from "node:assert/strict";
import { createBrowserHost, fromThread } from "../static/js/hosts/browser.js";
import { createOutlookHost, describeItem, contentToFile, droppedFiles } from "../static/js/hosts/outlook.js";
import { createOutlookAuth } from "../static/js/hosts/outlookauth.js";
import { attachmentRequest, fileRequest } from "../static/js/views/attachments.js";
import { panelCtx, sentUpload } from "./helpers.js";

/** fakeOffice is a plain-object Office.js with one read-mode item; it records calls. */
function fakeOffice(itemOver = {}) {
  const calls = [];
  const handlers = {};
  const item = {
    itemId: "AAMkAD=",
    internetMessageId: "<conseil-42@prefecture.gouv.fr>",
    conversationId: "CONV1",
    subject: "Conseil départemental",
    attachments: [
      { id: "att1", name: "ordre-du-jour.pdf", contentType: "application/pdf", size: 2048, attachmentType: "file", isInline: false },
      { id: "att2", name: "logo.png", contentType: "image/png", size: 100, attachmentType: "file", isInline: true },
    ],
    displayReplyFormAsync(data, cb) {
      calls.push(["reply", data]);
      cb({ status: "succeeded" });
    },
    displayReplyAllFormAsync(data, cb) {
      calls.push(["replyAll", data]);
      cb({ status: "succeeded" });
    },
    getAttachmentContentAsync(id, cb) {
      calls.push(["content", id]);
      cb({ status: "succeeded", value: { format: "base64", content: Buffer.from("%PDF-1.7 été").toString("base64") } });
    },
    ...itemOver,
  };
  const Office = {
    calls,
    handlers,
    EventType: { ItemChanged: "olkItemSelectedChanged", DragAndDropEvent: "olkDragAndDropEvent" },
    MailboxEnums: { RestVersion: { v2_0: "v2.0" } },
    AsyncResultStatus: { Failed: "failed", Succeeded: "succeeded" },
    onReady(cb) {
      cb({ host: "Outlook" });
      return Promise.resolve({ host: "Outlook" });
    },
    context: {
      mailbox: {
        item,
        convertToRestId(id, v) {
          calls.push(["convert", id, v]);
          return "REST-" + id.replace(/=/g, "") + "-" + v;
        },
        addHandlerAsync(type, fn) {
          handlers[type] = fn;
        },
      },
    },
  };
  return Office;
}

const odt = { name: "courrier-subvention-detr.docx", mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", data: Buffer.from("PK\x03\x04word").toString("base64") };

test("outlook host: a courrier is attached to a reply to the message it was written for", async () => {
  const Office = fakeOffice();
  const host = createOutlookHost({ Office, search: "" });
  await host.init();
  const cur = await host.current();
  assert.deepEqual(await host.attachDraft(odt, cur), { notice: "" });
  assert.deepEqual(Office.calls.filter((c) => c[0] === "reply"), [["reply", { attachments: [{ type: "base64", name: odt.name, base64file: odt.data }] }]]);
  // Outlook moved to another item before telling the pane: nothing is opened.
  Office.context.mailbox.item = { ...Office.context.mailbox.item, itemId: "AAMkB=", internetMessageId: "<autre@x>" };
  await assert.rejects(host.attachDraft(odt, cur), (e) => e.code === "message_changed");
  assert.equal(Office.calls.filter((c) => c[0] === "reply").length, 1);
});

test("outlook host: a compose item gets the file itself; an Outlook without Mailbox 1.15 says so", async () => {
  const Office = fakeOffice({
    addFileAttachmentFromBase64Async(data, name, opts, cb) {
      Office.calls.push(["addFileAttachmentFromBase64Async", data, name, opts]);
      cb({ status: "succeeded", value: "att-id" });
    },
  });
  const host = createOutlookHost({ Office, search: "" });
  await host.init();
  await host.attachDraft(odt, null);
  assert.deepEqual(Office.calls.find((c) => c[0] === "addFileAttachmentFromBase64Async"), ["addFileAttachmentFromBase64Async", odt.data, odt.name, { isInline: false }]);
  assert.equal(Office.calls.filter((c) => c[0] === "reply").length, 0);

  const old = fakeOffice();
  old.context.requirements = { isSetSupported: (set, v) => set === "Mailbox" && Number(v) < 1.15 };
  const oldHost = createOutlookHost({ Office: old, search: "" });
  await oldHost.init();
  await assert.rejects(oldHost.attachDraft(odt, await oldHost.current()), (e) => e.code === "attach_unsupported");
  assert.equal(old.calls.filter((c) => c[0] === "reply").length, 0);
});

test("browser host: threads from GET /threads become IMAP references with part paths", async () => {
  const host = createBrowserHost({});
  const seen = [];
  host.onChange((c) => seen.push(c));
  host.select({ messageId: "<m1@x>", subject: "S", markings: ["DIFFUSION RESTREINTE"], attachments: [{ name: "a.pdf", mediaType: "application/pdf", size: 3, partPath: "2" }] });
  const cur = await host.current();
  assert.deepEqual(cur.ref, { source: "imap", messageId: "<m1@x>" });
  assert.equal(cur.attachments[0].partPath, "2");
  assert.deepEqual(cur.attachments[0].ref, { source: "imap", messageId: "<m1@x>" });
  const earlier = fromThread({ messageId: "m3@x", attachments: [{ name: "b.pdf", partPath: "2", messageId: "m1@x" }] });
  assert.deepEqual(earlier.attachments[0].ref, { source: "imap", messageId: "m1@x" }, "attachment of an earlier message");
  assert.deepEqual(cur.markings, ["DIFFUSION RESTREINTE"]);
  assert.equal(seen.length, 1);
  assert.equal(host.attachmentMode(cur.attachments[0]), "partPath");
  assert.deepEqual(fromThread({ messageId: "<z>" }).attachments, []);
});

test("browser host: inserting copies the text and returns a preview", async () => {
  const copied = [];
  const host = createBrowserHost({ clipboard: { writeText: async (t) => copied.push(t) } });
  const res = await host.insertReply({ text: "Bonjour", html: "<p>Bonjour</p>" }, true);
  assert.deepEqual(res.preview, { text: "Bonjour", html: "<p>Bonjour</p>", replyAll: true });
  assert.deepEqual(copied, ["Bonjour"]);
});

test("outlook host: the item gives internetMessageId, REST id (v2.0) and conversationId", async () => {
  const Office = fakeOffice();
  const host = createOutlookHost({ Office, search: "" });
  await host.init();
  const cur = await host.current();
  assert.deepEqual(cur.ref, { source: "imap", messageId: "<conseil-42@prefecture.gouv.fr>" });
  assert.equal(cur.restId, "REST-AAMkAD-v2.0");
  assert.deepEqual(Office.calls[0], ["convert", "AAMkAD=", "v2.0"]);
  assert.equal(cur.conversationId, "CONV1");
  assert.deepEqual(cur.attachments.map((a) => a.name), ["ordre-du-jour.pdf"], "inline parts hidden");
  host.setSources(["raw", "imap", "graph"]);
  assert.deepEqual((await host.current()).ref, { source: "graph", id: "REST-AAMkAD-v2.0", conversationId: "CONV1" });
});

test("outlook host: no item (nothing selected) is no current message", async () => {
  const Office = fakeOffice();
  Office.context.mailbox.item = null;
  const host = createOutlookHost({ Office });
  await host.init();
  assert.equal(await host.current(), null);
});

test("outlook host: reply and reply-all go to the reply forms with htmlBody", async () => {
  const Office = fakeOffice();
  const host = createOutlookHost({ Office });
  await host.init();
  assert.deepEqual(await host.insertReply({ text: "Bonjour", html: "<p>Bonjour</p>" }, false), { notice: "" });
  await host.insertReply({ text: "Bonjour", html: "<p>Bonjour</p>" }, true);
  assert.deepEqual(Office.calls.filter((c) => c[0].startsWith("reply")), [["reply", { htmlBody: "<p>Bonjour</p>" }], ["replyAll", { htmlBody: "<p>Bonjour</p>" }]]);
});

test("outlook host: a draft written for one item is not inserted into another (ItemChanged not yet received)", async () => {
  const Office = fakeOffice();
  const host = createOutlookHost({ Office });
  await host.init();
  const forA = await host.current();
  assert.deepEqual(await host.insertReply({ text: "a", html: "<p>a</p>" }, false, forA), { notice: "" });
  Office.context.mailbox.item = { ...Office.context.mailbox.item, itemId: "AAMkB=", internetMessageId: "<autre@x>" };
  await assert.rejects(host.insertReply({ text: "a", html: "<p>a</p>" }, false, forA), (e) => e.code === "message_changed");
  await assert.rejects(host.insertReply({ text: "a", html: "<p>a</p>" }, true, forA), (e) => e.code === "message_changed");
  assert.equal(Office.calls.filter((c) => c[0].startsWith("reply")).length, 1, "only the insertion into A's reply form");
});

test("outlook host: a body over 32 KB is inserted as plain paragraphs or truncated, with a notice", async () => {
  const Office = fakeOffice();
  const host = createOutlookHost({ Office });
  await host.init();
  const text = "Considérant la demande ".repeat(1000); // ~23 KB of text
  const bloated = "<div style='font-family:Marianne;color:#161616'>" + text.split(" ").join("</div><div style='font-family:Marianne;color:#161616'>") + "</div>";
  assert.deepEqual(await host.insertReply({ text, html: bloated }, false), { notice: "reply.plain" });
  const huge = "Considérant la demande ".repeat(3000);
  assert.deepEqual(await host.insertReply({ text: huge, html: "<p>" + huge + "</p>" }, false), { notice: "reply.truncated" });
  const sent = Office.calls.filter((c) => c[0] === "reply").map((c) => c[1].htmlBody);
  assert.ok(sent.every((h) => Buffer.byteLength(h) <= 32768));
  assert.ok(sent[1].endsWith("[…]</p>"));
});

test("outlook host: a failed reply form is an error", async () => {
  const Office = fakeOffice({ displayReplyFormAsync: (d, cb) => cb({ status: "failed", error: { message: "x" } }) });
  const host = createOutlookHost({ Office });
  await host.init();
  await assert.rejects(host.insertReply({ text: "a", html: "<p>a</p>" }, false));
});

test("outlook host: older Outlook without the Async forms uses displayReplyForm", async () => {
  const got = [];
  const Office = fakeOffice({ displayReplyFormAsync: undefined, displayReplyForm: (d) => got.push(d) });
  const host = createOutlookHost({ Office });
  await host.init();
  await host.insertReply({ text: "a", html: "<p>a</p>" }, false);
  assert.deepEqual(got, [{ htmlBody: "<p>a</p>" }]);
});

test("outlook host: attachment content in Base64 becomes a typed Blob", async () => {
  const Office = fakeOffice();
  const host = createOutlookHost({ Office });
  await host.init();
  const cur = await host.current();
  const f = await host.attachmentFile(cur.attachments[0]);
  assert.equal(f.name, "ordre-du-jour.pdf");
  assert.equal(f.blob.type, "application/pdf");
  assert.equal(await f.blob.text(), "%PDF-1.7 été");
  assert.equal(host.attachmentMode(cur.attachments[0]), "upload");
});

test("outlook host: item attachments (eml) and cloud attachments (url)", async () => {
  const eml = contentToFile({ format: "eml", content: "Subject: x\r\n\r\nbody" }, { name: "Réponse" });
  assert.equal(eml.name, "Réponse.eml");
  assert.equal(eml.blob.type, "message/rfc822");
  assert.throws(() => contentToFile({ format: "url", content: "https://x" }, { name: "a" }), (err) => err.code === "unsupported_document");
});

test("outlook host: ItemChanged (pinned pane) re-reads the new item", async () => {
  const Office = fakeOffice();
  const host = createOutlookHost({ Office });
  await host.init();
  const seen = [];
  host.onChange((c) => seen.push(c && c.subject));
  Office.context.mailbox.item = { ...Office.context.mailbox.item, subject: "Autre message", internetMessageId: "<autre@x>" };
  await Office.handlers.olkItemSelectedChanged({});
  assert.deepEqual(seen, ["Autre message"]);
});

test("outlook host: a dropped attachment reaches the drop listeners", async () => {
  const Office = fakeOffice();
  const host = createOutlookHost({ Office });
  await host.init();
  const got = [];
  host.onFileDrop((f) => got.push(f.name));
  const blob = new Blob(["x"]);
  Office.handlers.olkDragAndDropEvent({ dragAndDropEventData: { type: "dragover" } });
  Office.handlers.olkDragAndDropEvent({ dragAndDropEventData: { type: "drop", dataTransfer: { files: [{ name: "note.docx", type: "application/x", fileContent: blob }] } } });
  assert.deepEqual(got, ["note.docx"]);
  assert.deepEqual(droppedFiles(null), []);
});

test("outlook auth: none, SSO, NAA when MSAL is present, unavailable otherwise", async () => {
  const p = (s) => new URLSearchParams(s);
  const none = createOutlookAuth({ Office: {}, params: p("") });
  assert.equal(none.kind, "none");
  assert.equal(await none.token(), null);

  const sso = createOutlookAuth({ Office: { auth: { getAccessToken: async (o) => "sso:" + o.allowSignInPrompt } }, params: p("auth=sso") });
  assert.equal(sso.kind, "sso");
  assert.equal(await sso.token(), "sso:true");
  await sso.signOut();
  assert.equal(await sso.token(), null);

  const calls = [];
  const msal = {
    async createNestablePublicClientApplication(cfg) {
      calls.push(cfg.auth.clientId);
      return {
        acquireTokenSilent: async () => {
          throw new Error("interaction_required");
        },
        acquireTokenPopup: async (req) => ({ accessToken: "naa:" + req.scopes[0] }),
      };
    },
  };
  const naa = createOutlookAuth({ Office: {}, msal, params: p("auth=naa&clientId=cid&scope=api://plume/access") });
  assert.equal(naa.kind, "naa");
  assert.equal(await naa.token(), "naa:api://plume/access");
  assert.deepEqual(calls, ["cid"]);

  const naaNoMsal = createOutlookAuth({ Office: { auth: { getAccessToken: async () => "sso" } }, params: p("auth=naa") });
  assert.equal(naaNoMsal.kind, "sso", "NAA without MSAL falls back to Office SSO");
  const oldHost = createOutlookAuth({ Office: { context: { requirements: { isSetSupported: () => false } } }, msal, params: p("auth=naa") });
  assert.equal(oldHost.kind, "unavailable", "NAA needs the NestedAppAuth 1.1 requirement set");
  const nothing = createOutlookAuth({ Office: {}, params: p("auth=naa") });
  assert.equal(nothing.kind, "unavailable");
  assert.equal(nothing.available, false);
});

test("describeItem without convertToRestId still has an IMAP reference", () => {
  const cur = describeItem({ internetMessageId: "<a@b>", attachments: [] }, {}, {}, ["imap"]);
  assert.deepEqual(cur.ref, { source: "imap", messageId: "<a@b>" });
});

test("outlook host: an attachment upload names the message carrying it (IMAP reference)", async () => {
  const Office = fakeOffice();
  const host = createOutlookHost({ Office });
  await host.init();
  const cur = await host.current();
  const sent = await sentUpload(await attachmentRequest(panelCtx(host, cur), cur.attachments[0], { language: "fr" }));
  assert.equal(sent.file.name, "ordre-du-jour.pdf");
  assert.deepEqual(sent.message, { source: "imap", messageId: "<conseil-42@prefecture.gouv.fr>" });
  assert.deepEqual(Office.calls.filter((c) => c[0] === "content"), [["content", "att1"]]);
});

test("outlook host: with Graph, the upload names the message by REST id and conversation", async () => {
  const Office = fakeOffice();
  const host = createOutlookHost({ Office });
  await host.init();
  host.setSources(["graph", "imap"]);
  const cur = await host.current();
  const sent = await sentUpload(await attachmentRequest(panelCtx(host, cur), cur.attachments[0], {}));
  assert.deepEqual(sent.message, { source: "graph", id: "REST-AAMkAD-v2.0", conversationId: "CONV1" });
});

test("outlook host: a pinned pane uploads an attachment with the reference of the item it was listed with", async () => {
  const Office = fakeOffice();
  const host = createOutlookHost({ Office });
  await host.init();
  const first = await host.current();
  Office.context.mailbox.item = { ...Office.context.mailbox.item, internetMessageId: "<autre@x>" };
  const later = await host.current();
  const sent = await sentUpload(await attachmentRequest(panelCtx(host, later), first.attachments[0], {}));
  assert.deepEqual(sent.message, { source: "imap", messageId: "<conseil-42@prefecture.gouv.fr>" });
});

test("an attachment with no carrying message is not uploaded", async () => {
  let read = 0;
  const host = { attachmentMode: () => "upload", attachmentFile: async () => (read++, { blob: new Blob(["x"]), name: "x" }) };
  await assert.rejects(attachmentRequest(panelCtx(host, null), { name: "x.pdf" }, {}), (err) => err.code === "message_not_found");
  assert.equal(read, 0, "the file was not even read");
});

test("dropped or chosen files name the open message; with none open, only the file's own markings apply", async () => {
  const Office = fakeOffice();
  const host = createOutlookHost({ Office });
  await host.init();
  const cur = await host.current();
  const blob = new Blob(["x"], { type: "application/pdf" });
  const sent = await sentUpload(await fileRequest(panelCtx(host, cur), { blob, name: "glisse.pdf" }, {}));
  assert.deepEqual(sent.message, { source: "imap", messageId: "<conseil-42@prefecture.gouv.fr>" });
  const none = await sentUpload(await fileRequest(panelCtx(host, null), { blob, name: "glisse.pdf" }, {}));
  assert.equal(none.message, null);

  const browser = createBrowserHost();
  browser.select({ messageId: "<note-dispositif-dr-1@demo.plume.local>", subject: "DR", attachments: [] });
  const b = await sentUpload(await fileRequest(panelCtx(browser, await browser.current()), { blob, name: "glisse.pdf" }, {}));
  assert.deepEqual(b.message, { source: "imap", messageId: "<note-dispositif-dr-1@demo.plume.local>" });
});

test("browser host: an attachment by part path names the message carrying it", async () => {
  const browser = createBrowserHost();
  browser.select({ messageId: "<t-3@x>", subject: "S", attachments: [{ name: "a.pdf", partPath: "2", messageId: "<t-1@x>" }] });
  const cur = await browser.current();
  const req = await attachmentRequest(panelCtx(browser, cur), cur.attachments[0], {});
  assert.deepEqual(req, { ref: { source: "imap", messageId: "<t-1@x>" }, attachment: { partPath: "2" }, options: {} });
});
