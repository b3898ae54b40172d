// The dashboard's track-completeness wording and playback marks (run by DashboardJsModulesTest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  duration, hasProblems, markedStretches, problemLines, scoreLine,
} from '../../../main/resources/webroot/dashboard/track-completeness.js';

const T0 = Date.parse('2026-01-01T10:00:00Z');
const iso = (s) => new Date(T0 + s * 1000).toISOString();

// the API's form of TrackCompletenessTest's planted ride: a 5-minute gap and an offline burst
const planted = {
  expectedFixes: 120, receivedFixes: 91, ratio: 0.758, gapCount: 1, longestGapS: 300,
  gaps: [{ from: iso(300), to: iso(600), durationS: 300 }],
  lateFixes: 18, lateShare: 0.198,
  lateBursts: [{ from: iso(720), to: iso(890), fixes: 18, uploadedAt: iso(960) }],
  batteryStart: 0.9, batteryEnd: 0.71,
};

test('durations read like the API summary', () => {
  assert.equal(duration(300), '5 min 0 s');
  assert.equal(duration(298.4), '4 min 58 s');
  assert.equal(duration(75), '75 s');
  assert.equal(duration(3720), '1 h 2 min');
});

test('the card score names the gap, the late share and the battery', () => {
  assert.equal(scoreLine(planted),
    'Track 76 % (91/120 fixes) · 1 gap > 60 s, longest 5 min 0 s · 20 % uploaded late · battery 90 → 71 %');
  assert.ok(hasProblems(planted));
  const lines = problemLines(planted);
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^5 min 0 s gap \d\d:\d\d–\d\d:\d\d \(no fixes recorded\)$/);
  assert.match(lines[1], /^offline \d\d:\d\d–\d\d:\d\d: 18 fixes uploaded \d\d:\d\d$/);
  const clean = { ...planted, gapCount: 0, gaps: [], lateFixes: 0, lateShare: 0, lateBursts: [] };
  assert.ok(!hasProblems(clean));
  assert.match(scoreLine(clean), /no gaps/);
  assert.equal(scoreLine(null), '');
});

test('the gap is marked between the fixes around it, the burst over its fixes', () => {
  const fixes = [];
  for (let s = 10; s <= 1200; s += 10) if (s <= 300 || s >= 600) fixes.push({ ts: T0 + s * 1000 });
  const { gaps, late } = markedStretches(fixes, planted);
  assert.equal(gaps.length, 1);
  assert.equal(fixes[gaps[0].from].ts, T0 + 300_000);
  assert.equal(fixes[gaps[0].to].ts, T0 + 600_000);
  assert.equal(gaps[0].to, gaps[0].from + 1);
  assert.equal(late.length, 1);
  assert.equal(fixes[late[0].from].ts, T0 + 720_000);
  assert.equal(fixes[late[0].to].ts, T0 + 890_000);
  // a gap at the ride's start has no fix before it: nothing to draw
  const startGap = { gaps: [{ from: iso(0), to: iso(100), durationS: 100 }] };
  assert.equal(markedStretches(fixes, startGap).gaps.length, 0);
});
