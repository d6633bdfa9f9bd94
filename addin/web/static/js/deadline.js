// Deadlines of action items: how close they are, for highlighting.

/** SOON_DAYS is how many days ahead a deadline counts as close. */
export const SOON_DAYS = 3;

/**
 * deadlineStatus tells how close a due date ("YYYY-MM-DD") is to today (a
 * Date, local calendar): "overdue", "soon" (within SOON_DAYS days, today
 * included), "later", or "none" when there is no valid date.
 */
export function deadlineStatus(due, today) {
  const d = parseDay(due);
  if (!d || !(today instanceof Date) || Number.isNaN(today.getTime())) return "none";
  const t0 = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  const days = Math.round((d - t0) / 86400000);
  if (days < 0) return "overdue";
  if (days <= SOON_DAYS) return "soon";
  return "later";
}

/** daysUntil returns whole calendar days from today to due, or NaN. */
export function daysUntil(due, today) {
  const d = parseDay(due);
  if (!d) return NaN;
  return Math.round((d - Date.UTC(today.getFullYear(), today.getMonth(), today.getDate())) / 86400000);
}

function parseDay(s) {
  if (typeof s !== "string") return 0;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (!m) return 0;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const da = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, da);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== da) return 0;
  return ms;
}

/** formatDay renders "YYYY-MM-DD" as a short local date (e.g. "12/03/2025" in French). */
export function formatDay(due, lang) {
  const ms = parseDay(due);
  if (!ms) return due || "";
  const d = new Date(ms);
  return d.toLocaleDateString(lang === "en" ? "en-GB" : "fr-FR", { timeZone: "UTC", day: "2-digit", month: "2-digit", year: "numeric" });
}
