/**
 * One key for a meeting's join URL however a platform spells it: Teams sends the same link
 * percent-encoded differently (`%3a` / `%3A`) and with a `context` query; Webex links differ in
 * their query. The Teams thread id (`19:meeting_…@thread.v2`) when there is one, else the URL
 * without query or fragment, lower-cased.
 */
export function joinKey(joinUrl: string): string {
  let decoded = joinUrl;
  try {
    decoded = decodeURIComponent(joinUrl);
  } catch {
    // keep as given: a malformed escape still yields a stable key
  }
  const thread = /19:meeting_[^/?#@]+@thread\.v2/i.exec(decoded);
  if (thread) return thread[0].toLowerCase();
  return decoded.split(/[?#]/)[0]?.toLowerCase() ?? decoded.toLowerCase();
}
