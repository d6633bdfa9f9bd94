// The « Demander » box of the summary tab: a free question on the thread,
// sent to POST /api/v1/thread/ask; the answer comes from the thread only,
// each statement with its source, or « Le fil ne le précise pas. ».

/** askBody builds the request body; null when the question is empty. */
export function askBody(message, question, lang = "fr") {
  const q = String(question || "").trim();
  if (!q) return null;
  return { message, question: q.slice(0, 1000), options: { language: lang } };
}

/** answerModel is what the box shows: the answer, whether the thread says
 * it, and the sources cited. */
export function answerModel(ans) {
  if (!ans) return { text: "", found: false, sources: [] };
  return {
    text: String(ans.text || ""),
    found: !!ans.found,
    sources: (ans.citations || []).map((c) => c.source).filter(Boolean),
  };
}

/** streamedAnswer turns the model's streamed tokens into a preview: its
 * [M1] references are shown as "…" until the result names the sources. */
export function streamedAnswer(tokens) {
  return String(tokens || "").replace(/\s*\[(?:[MD]\d+(?:\s*[,;]\s*)?)+\]/g, " (…)");
}
