// Package e2e holds the panel's browser end-to-end suite: it starts the real
// Plume server (package addin) on the demo mailbox (mail/demo) with the fake
// model server (assist/fakellm), then drives the panel in Debian's Chromium
// with playwright-core (panel.mjs).
//
// # Scenarios
//
//   - plain-browser host: summarise a thread and see the text streamed as it
//     is written; draft a reply, edit it and insert it;
//   - the DIFFUSION RESTREINTE thread is refused when no model is cleared for it;
//   - with the model down, the offline engine answers and the panel says so;
//   - attachments: summary by IMAP part path and by upload of a chosen file;
//   - Outlook task pane (outlook.html with a stub Office.js): summary, the
//     displayReplyFormAsync / displayReplyAllFormAsync calls and their HTML,
//     attachment upload from getAttachmentContentAsync, a dragged attachment;
//   - pinned Outlook task pane with a slow model: the agent moves to another
//     message (ItemChanged) while a summary or a draft is being written; the
//     request is aborted, nothing of the old answer is shown or insertable,
//     and Insert refuses when Outlook has switched items before telling the pane;
//   - « Demander » and « Courrier / Note » at 320 and 400 px: a question
//     answered with its source, one the thread does not answer; a courrier
//     streamed, previewed and downloaded as ODT and DOCX (zip bytes, media
//     type); in Outlook, attached to a reply as a base64 DOCX; on the
//     DIFFUSION RESTREINTE thread both disabled with the reason before any
//     click, and refused by the server when the pre-check is bypassed;
//   - Outlook task pane against a server configured for Microsoft Graph
//     only (graph/graphtest holding the demo mailbox, fake on-behalf-of
//     token endpoint): Office SSO token, Graph references built from
//     convertToRestId and conversationId, summary, reply form, attachment
//     upload; the fake Graph must see the conversation listed without
//     $orderby and one on-behalf-of exchange.
//
// One Chromium serves every scenario; the run prints each scenario's time.
//
// Screenshots at 320 px go to $PLUME_ARTIFACTS (or the test's temporary
// folder). Missing Chromium, node or npm packages skip the suite, or fail it
// when PLUME_REQUIRE_INTEGRATION=1.
//
// # Run
//
//	make deps
//	PLUME_ARTIFACTS=/tmp/plume-shots go test ./addin/e2e/
package e2e
