// Track completeness of a task (GET /tasks/{id} → trackCompleteness) as the dashboard shows it:
// a one-line score on the task card, the gaps and late bursts in words (local time), and which
// stretches of a played-back track to mark. Pure functions, no DOM.

const isNum = (x) => typeof x === 'number' && Number.isFinite(x);

/** "4 min 58 s", "75 s" under two minutes, "1 h 2 min" from an hour (as the API's summary says). */
export function duration(seconds) {
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return s >= 120 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

function hhmm(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '--:--' : d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

/** The card's score: "Track 76 % (91/120 fixes) · 1 gap, longest 5 min 0 s · 20 % late · battery 90 → 70 %". */
export function scoreLine(c) {
  if (!c) return '';
  const bits = [`Track ${Math.round((c.ratio ?? 0) * 100)} % (${c.receivedFixes}/${c.expectedFixes} fixes)`];
  bits.push(c.gapCount
    ? `${c.gapCount} gap${c.gapCount === 1 ? '' : 's'} > 60 s, longest ${duration(c.longestGapS)}`
    : 'no gaps');
  if (c.lateFixes) bits.push(`${Math.round(c.lateShare * 100)} % uploaded late`);
  if (isNum(c.batteryStart) && isNum(c.batteryEnd)) {
    bits.push(`battery ${Math.round(c.batteryStart * 100)} → ${Math.round(c.batteryEnd * 100)} %`);
  }
  return bits.join(' · ');
}

/** Each problem in words, local time: "5 min 0 s gap 10:05–10:10", "offline 10:12–10:14, uploaded 10:16". */
export function problemLines(c) {
  if (!c) return [];
  const out = (c.gaps ?? []).map((g) => `${duration(g.durationS)} gap ${hhmm(g.from)}–${hhmm(g.to)} (no fixes recorded)`);
  for (const b of c.lateBursts ?? []) {
    out.push(`offline ${hhmm(b.from)}–${hhmm(b.to)}: ${b.fixes} fix${b.fixes === 1 ? '' : 'es'} uploaded ${hhmm(b.uploadedAt)}`);
  }
  return out;
}

/** Whether the score has something to warn about (the card is marked). */
export function hasProblems(c) {
  return !!c && (c.gapCount > 0 || c.lateFixes > 0);
}

/**
 * The track's stretches to mark, as index ranges into {@code fixes} (ascending ts): for each gap
 * the two fixes around it (a gap at the ride's start or end, with no fix on one side, has none),
 * for each late burst its first to last fix.
 */
export function markedStretches(fixes, c) {
  const gaps = [];
  const late = [];
  if (!c || !fixes?.length) return { gaps, late };
  const ts = fixes.map((f) => f.ts);
  const indexAtOrBefore = (t) => {
    let i = -1;
    while (i + 1 < ts.length && ts[i + 1] <= t) i++;
    return i;
  };
  for (const g of c.gaps ?? []) {
    const from = Date.parse(g.from);
    const to = Date.parse(g.to);
    const a = indexAtOrBefore(from);
    const b = indexAtOrBefore(to);
    if (a >= 0 && b > a && ts[a] === from && ts[b] === to) gaps.push({ from: a, to: b, gap: g });
  }
  for (const burst of c.lateBursts ?? []) {
    const a = indexAtOrBefore(Date.parse(burst.from));
    const b = indexAtOrBefore(Date.parse(burst.to));
    if (a >= 0 && b >= a) late.push({ from: a, to: b, burst });
  }
  return { gaps, late };
}
