// Runs: every request a view makes is for one message. A run carries that
// message and an AbortController. When the panel moves to another message
// (Outlook's ItemChanged in a pinned pane, Thunderbird's displayed message,
// the browser's picker) every run is cancelled: its fetch or SSE stream is
// aborted, and whatever it answers afterwards is dropped — never rendered,
// never insertable. A draft written for one correspondent cannot land in a
// reply to another.

/**
 * createRuns returns the panel's runs. current() gives the message the panel
 * shows now: a run is current while it is not cancelled and its message is
 * still that one (the same object the host announced).
 */
export function createRuns(current) {
  let live = new Set();

  /** start begins a run for message (the panel's current message object, or null). */
  function start(message) {
    const controller = new AbortController();
    const run = {
      message,
      signal: controller.signal,
      /** isCurrent says whether the run's answer may still be shown or inserted. */
      isCurrent: () => !controller.signal.aborted && current() === message,
      /** guard wraps fn (a stream handler) so that it does nothing once the run is no longer current. */
      guard:
        (fn) =>
        (...args) =>
          run.isCurrent() ? fn(...args) : undefined,
      cancel: () => controller.abort(),
    };
    live.add(run);
    return run;
  }

  return {
    start,
    /** cancel aborts every run started so far: the message changed, or the views were rebuilt. */
    cancel() {
      const old = live;
      live = new Set();
      for (const run of old) run.cancel();
    },
  };
}

/**
 * perform runs task(run) — the request, given run.signal — and hands its
 * answer to onAnswer, or its error to onError, only while the run is still
 * current. A late answer or error (the abort itself included) is dropped.
 * Returns true when the answer was handed over.
 */
export async function perform(run, task, { onAnswer, onError }) {
  try {
    const answer = await task(run);
    if (!run.isCurrent()) return false;
    onAnswer(answer);
    return true;
  } catch (err) {
    if (run.isCurrent()) onError(err);
    return false;
  }
}
