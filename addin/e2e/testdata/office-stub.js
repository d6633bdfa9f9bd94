// A stand-in for Office.js in the browser tests: served in place of
// https://appsforoffice.microsoft.com/lib/1/hosted/office.js. It gives a
// read-mode item built from window.__plumeItem and records every call the
// panel makes in window.__officeCalls. Optional fields of __plumeItem:
// restId (what convertToRestId answers: the Graph id), conversationId, and
// accessToken (answered by Office.auth.getAccessToken, for auth=sso).
// window.__plumeSelect(spec) selects another item, as a pinned pane sees
// when the agent moves to another message: mailbox.item changes, then the
// ItemChanged handler runs (with {silent: true} it does not run: the moment
// between the two). Reply-form calls record the itemId they went to.
(function () {
  var calls = (window.__officeCalls = []);
  var spec = window.__plumeItem || {};
  var handlers = (window.__officeHandlers = {});
  var item = makeItem(spec);
  function makeItem(spec) {
    return {
      itemId: spec.itemId || "AAMkADdemo=",
      internetMessageId: spec.internetMessageId,
      conversationId: spec.conversationId || "CONV-DEMO",
      subject: spec.subject || "",
      attachments: spec.attachments || [],
      displayReplyFormAsync: function (data, cb) {
        calls.push({ fn: "displayReplyFormAsync", htmlBody: data && data.htmlBody, attachments: data && data.attachments, itemId: this.itemId });
        if (cb) cb({ status: "succeeded" });
      },
      displayReplyAllFormAsync: function (data, cb) {
        calls.push({ fn: "displayReplyAllFormAsync", htmlBody: data && data.htmlBody, itemId: this.itemId });
        if (cb) cb({ status: "succeeded" });
      },
      getAttachmentContentAsync: function (id, cb) {
        calls.push({ fn: "getAttachmentContentAsync", id: id });
        var a = (spec.contents || {})[id];
        if (!a) return cb({ status: "failed", error: { message: "not found" } });
        cb({ status: "succeeded", value: { format: "base64", content: a } });
      },
    };
  }
  window.__plumeSelect = function (next, opts) {
    spec = next || {};
    window.Office.context.mailbox.item = item = makeItem(spec);
    var fn = handlers[window.Office.EventType.ItemChanged];
    if (fn && !(opts && opts.silent)) fn({ type: window.Office.EventType.ItemChanged });
  };
  // Office SSO (auth=sso): the token Outlook would get for Plume's API.
  var auth = spec.accessToken
    ? {
        getAccessToken: function (opts) {
          calls.push({ fn: "getAccessToken", forMSGraphAccess: !!(opts && opts.forMSGraphAccess) });
          return Promise.resolve(spec.accessToken);
        },
      }
    : undefined;
  window.Office = {
    auth: auth,
    EventType: { ItemChanged: "olkItemSelectedChanged", DragAndDropEvent: "olkDragAndDropEvent" },
    MailboxEnums: { RestVersion: { v2_0: "v2.0" } },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    onReady: function (cb) {
      var info = { host: "Outlook", platform: "OfficeOnline" };
      if (cb) setTimeout(function () { cb(info); }, 0);
      return Promise.resolve(info);
    },
    context: {
      requirements: { isSetSupported: function () { return true; } },
      mailbox: {
        item: item,
        convertToRestId: function (id, v) {
          calls.push({ fn: "convertToRestId", id: id, version: v });
          return spec.restId || "REST-" + id;
        },
        addHandlerAsync: function (type, fn, cb) {
          handlers[type] = fn;
          calls.push({ fn: "addHandlerAsync", type: type });
          if (cb) cb({ status: "succeeded" });
        },
      },
    },
  };
})();
