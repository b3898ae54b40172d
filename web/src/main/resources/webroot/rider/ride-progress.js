// The riding view's progress line from the gateway's live stream (/v1/live, scoped by the gateway
// to the signed-in rider): which events carry progress for the ride, and the text shown. Pure, so
// it runs under Node's test runner.

/** The stream URL for one task: EventSource cannot send headers, so the token goes in the query. */
export function liveProgressUrl(gateway, taskId, accessToken) {
  const url = new URL('/v1/live', gateway);
  url.searchParams.set('taskId', taskId);
  url.searchParams.set('access_token', accessToken);
  return url.toString();
}

/**
 * The progress an event of the live stream carries for taskId, or null: a {@code progress} event's
 * fields, or a {@code task_snapshot}'s {@code progress} object.
 */
export function progressOf(event, taskId) {
  if (!event || event.taskId !== taskId) return null;
  const p = event.event === 'progress' ? event : event.event === 'task_snapshot' ? event.progress : null;
  return p && Number.isFinite(p.percent) ? p : null;
}

/** The ETA as words of the current language (t from i18n.js). */
export function formatEta(seconds, t) {
  if (!Number.isFinite(seconds) || seconds < 0) return t('etaUnknown');
  if (seconds < 60) return t('etaUnderMinute');
  const m = Math.round(seconds / 60);
  if (m < 60) return t('etaMinutes', { m });
  return t('etaHours', { h: Math.floor(m / 60), m: m % 60 });
}

/** "Progress 42% · ETA 7 min" (percent clamped to 0…100 and rounded). */
export function progressText(p, t) {
  const percent = Math.round(Math.min(100, Math.max(0, p.percent)));
  if (p.arrived) return t('progressArrived', { percent });
  return t('progressLine', { percent, eta: formatEta(p.etaSeconds, t) });
}
