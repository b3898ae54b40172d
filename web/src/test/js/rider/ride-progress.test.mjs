// The riding view's progress line (ride-progress.js): which live events carry the ride's progress
// and the text in both languages (run by RiderJsModulesTest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setLanguage, t } from '../../../main/resources/webroot/rider/i18n.js';
import { formatEta, liveProgressUrl, progressOf, progressText } from '../../../main/resources/webroot/rider/ride-progress.js';

test('the stream URL names the task and carries the token in the query', () => {
  const url = new URL(liveProgressUrl('http://gw.example:8080/', 'task 1&x', 'a.b.c'));
  assert.equal(url.pathname, '/v1/live');
  assert.equal(url.searchParams.get('taskId'), 'task 1&x');
  assert.equal(url.searchParams.get('access_token'), 'a.b.c');
});

test('progress comes from progress events and snapshots of the ride\'s task only', () => {
  const p = { event: 'progress', taskId: 't1', riderId: 'r1', percent: 42.4, etaSeconds: 400 };
  assert.equal(progressOf(p, 't1'), p);
  assert.equal(progressOf({ ...p, taskId: 't2' }, 't1'), null);
  const inner = { percent: 10, etaSeconds: 90 };
  assert.equal(progressOf({ event: 'task_snapshot', taskId: 't1', progress: inner }, 't1'), inner);
  assert.equal(progressOf({ event: 'task_snapshot', taskId: 't1' }, 't1'), null, 'route not known');
  assert.equal(progressOf({ event: 'fix', taskId: 't1', lat: 1, lon: 2 }, 't1'), null);
  assert.equal(progressOf({ event: 'snapshot_complete', tasks: 1 }, 't1'), null);
});

test('percent and ETA read in both languages', () => {
  setLanguage('en');
  assert.equal(progressText({ percent: 42.4, etaSeconds: 400 }, t), 'Progress 42% · ETA 7 min');
  assert.equal(progressText({ percent: 100.3, arrived: true }, t), 'Progress 100% · arrived');
  assert.equal(formatEta(30, t), 'under 1 min');
  assert.equal(formatEta(3_900, t), '1 h 5 min');
  assert.equal(formatEta(null, t), 'unknown');
  setLanguage('zh-CN');
  assert.equal(progressText({ percent: 42.4, etaSeconds: 400 }, t), '进度 42% · 预计到达 7 分钟');
  assert.equal(formatEta(-1, t), '未知');
  setLanguage('en');
});
