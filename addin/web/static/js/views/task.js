// One streamed request of a view, wired once: the button that asks it for
// the message shown, the status line, the text shown while it is written,
// the result area with the answer or the refusal / error card, and the
// button disabled while it runs or while the message is blocked (markings
// pre-check). The request is a run (run.js): a change of message aborts it
// and drops whatever it answers.

import { replace, reveal, block } from "../dom.js";
import { t } from "../i18n.js";
import { renderProblem } from "./notices.js";
import { perform } from "../run.js";

/**
 * streamedTask returns {start(), setMessage(cur), setBlocked(reasonId)}.
 * o: {ctx, button, status, stream, out: elements; writing, ready: i18n keys;
 * preview(raw): the text shown while written; request(ref, handlers): the
 * API call; onAnswer(answer, run): fills o.out with the answer}.
 */
export function streamedTask(o) {
  let busy = false;
  let blocked = false;

  async function start() {
    const cur = o.ctx.current();
    if (!cur || busy || blocked) return;
    busy = true;
    const run = o.ctx.runs.start(cur);
    o.button.disabled = true;
    replace(o.out);
    replace(o.stream);
    o.stream.hidden = false;
    o.stream.setAttribute("aria-busy", "true");
    o.status.textContent = t(o.writing);
    reveal(o.status);
    let raw = "";
    await perform(
      run,
      async ({ signal }) =>
        o.request(await o.ctx.ref(cur), {
          signal,
          onToken: run.guard((chunk) => {
            raw += chunk;
            o.stream.textContent = o.preview(raw);
          }),
        }),
      {
        onAnswer(answer) {
          o.stream.hidden = true;
          o.status.textContent = t(o.ready);
          o.onAnswer(answer, run);
          reveal(o.out);
        },
        onError(err) {
          o.stream.hidden = true;
          o.status.textContent = "";
          replace(o.out, renderProblem(err));
          reveal(o.out);
        },
      },
    );
    // A run cancelled by a change of message leaves the view to setMessage.
    if (!run.isCurrent()) return;
    o.stream.setAttribute("aria-busy", "false");
    o.button.disabled = blocked;
    busy = false;
  }

  return {
    start,
    /** setMessage clears the view for the message cur (null: none). */
    setMessage(cur) {
      busy = false;
      replace(o.out);
      replace(o.stream);
      o.stream.hidden = true;
      o.stream.setAttribute("aria-busy", "false");
      o.status.textContent = "";
      blocked = false;
      block(o.button, null, !!cur);
    },
    /** setBlocked disables the button, described by the element reasonId, or enables it (null). */
    setBlocked(reasonId) {
      blocked = !!reasonId;
      block(o.button, reasonId, !!o.ctx.current() && !busy);
    },
  };
}
