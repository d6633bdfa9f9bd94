// Retrying calls that fail transiently (Thunderbird's listAttachments and
// getAttachmentFile fail now and then while the client is still syncing
// after start-up). The sleep function is injected so tests never wait.

/** defaultSleep waits ms milliseconds. */
export const defaultSleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * withRetry calls fn until it succeeds, at most opts.attempts times (default
 * 4), waiting opts.delays[i] ms (default 250, 500, 1000) between attempts.
 * opts.retryable(err) says whether an error is worth retrying (default: all).
 */
export async function withRetry(fn, opts = {}) {
  const attempts = opts.attempts ?? 4;
  const delays = opts.delays ?? [250, 500, 1000];
  const sleep = opts.sleep ?? defaultSleep;
  const retryable = opts.retryable ?? (() => true);
  let last;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn(i);
    } catch (err) {
      last = err;
      if (i === attempts - 1 || !retryable(err)) break;
      await sleep(delays[Math.min(i, delays.length - 1)] ?? 0);
    }
  }
  throw last;
}
