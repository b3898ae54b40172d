// The rider app's offline buffer (fix-outbox.js) with the in-memory store and a scripted gateway
// (run by RiderJsModulesTest). The IndexedDB store keeps the same contract; the browser test
// RiderRaceBrowserIT checks it end to end against the real gateway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixOutbox, MemoryFixStore, classify } from '../../../main/resources/webroot/rider/fix-outbox.js';

const fix = (ts) => ({ ts, lat: 31.23 + ts / 1e9, lon: 121.47 });

/** Timers the test fires by hand. */
function manualTimers() {
  const pending = new Map();
  let next = 1;
  return {
    set: (fn, ms) => {
      pending.set(next, { fn, ms });
      return next++;
    },
    clear: (id) => pending.delete(id),
    fire() {
      const all = [...pending.values()];
      pending.clear();
      all.forEach((p) => p.fn());
      return all.map((p) => p.ms);
    },
    get size() {
      return pending.size;
    },
  };
}

/** A gateway that answers from a script of statuses (then 200), recording every batch. */
function gateway(statuses = []) {
  const calls = [];
  const stored = new Map();
  const send = async (taskId, fixes) => {
    calls.push({ taskId, ts: fixes.map((f) => f.ts) });
    const status = statuses.length ? statuses.shift() : 200;
    if (status === 'network') throw new TypeError('Failed to fetch');
    if (status === 200) for (const f of fixes) stored.set(`${taskId}/${f.ts}`, f);
    if (typeof status === 'object') return status;
    return { status, body: null };
  };
  return { send, calls, stored };
}

test('a fix leaves the buffer only after the 200, and the same (task, ts) is buffered once', async () => {
  const store = new MemoryFixStore();
  const gw = gateway(['network', 503]);
  const timers = manualTimers();
  const box = new FixOutbox(store, gw.send, { timers });
  await box.record('t1', [fix(1000)]);
  assert.equal(await store.count(), 1, 'offline: kept');
  await box.record('t1', [fix(1000), fix(2000)]); // 1000 again: one entry; waits for the backoff
  assert.equal(await store.count(), 2, 'no duplicate');
  assert.equal(gw.calls.length, 1, 'no upload before the backoff ends');
  timers.fire();
  await box.idle();
  assert.equal(await store.count(), 2, '503: kept');
  timers.fire();
  await box.idle();
  assert.equal(await store.count(), 0, 'sent after the 200');
  assert.equal(gw.calls.length, 3);
  assert.deepEqual([...gw.stored.keys()].sort(), ['t1/1000', 't1/2000']);
});

test('after reconnecting, the buffer goes oldest first in batches of at most 100', async () => {
  const store = new MemoryFixStore();
  const gw = gateway(['network']);
  const timers = manualTimers();
  const box = new FixOutbox(store, gw.send, { timers });
  // recorded out of order, as a late position can arrive
  const tss = Array.from({ length: 250 }, (_, i) => 1_000_000 + (i * 7919) % 250 * 1000);
  for (const ts of tss) await box.record('t1', [fix(ts)]);
  assert.equal(await store.count(), 250);
  gw.calls.length = 0;
  timers.fire();
  await box.idle();
  assert.deepEqual(gw.calls.map((c) => c.ts.length), [100, 100, 50]);
  const sent = gw.calls.flatMap((c) => c.ts);
  assert.deepEqual(sent, [...sent].sort((a, b) => a - b), 'oldest first');
  assert.equal(new Set(sent).size, 250);
  assert.equal(await store.count(), 0);
});

test('backoff doubles to 30 s while the network is away, and resets after a success', async () => {
  const store = new MemoryFixStore();
  const gw = gateway(Array(8).fill('network'));
  const timers = manualTimers();
  const box = new FixOutbox(store, gw.send, { timers });
  await box.record('t1', [fix(1)]);
  const waits = [];
  for (let i = 0; i < 7; i++) {
    waits.push(...timers.fire());
    await box.idle();
  }
  assert.deepEqual(waits, [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  timers.fire();
  await box.idle();
  assert.equal(await store.count(), 0);
  assert.equal(box.backoffMs, 0);
});

test('fixes the gateway names in a 400 are dropped, the rest is sent again', async () => {
  const store = new MemoryFixStore();
  const gw = gateway([{ status: 400, body: { error: 'invalid_fixes', errors: [{ index: 1, field: 'lat', message: 'out of range' }] } }]);
  const box = new FixOutbox(store, gw.send, { timers: manualTimers() });
  await box.record('t1', [fix(1), fix(2), fix(3)]);
  assert.deepEqual(gw.calls.map((c) => c.ts), [[1, 2, 3], [1, 3]]);
  assert.equal(await store.count(), 0);
});

test('a refusal (403) keeps the fixes and stops; a 413 halves the batch', async () => {
  const store = new MemoryFixStore();
  const gw = gateway([{ status: 403, body: { message: 'the task is not in progress' } }]);
  const changes = [];
  const box = new FixOutbox(store, gw.send, { timers: manualTimers(), onChange: (c) => changes.push(c) });
  await box.record('t1', [fix(1), fix(2)]);
  assert.equal(await store.count(), 2);
  assert.equal(changes.at(-1).state, 'refused');
  assert.equal(changes.at(-1).message, 'the task is not in progress');

  const store2 = new MemoryFixStore();
  const gw2 = gateway([413]);
  const box2 = new FixOutbox(store2, gw2.send, { timers: manualTimers(), batchSize: 8 });
  await box2.record('t2', Array.from({ length: 8 }, (_, i) => fix(i + 1)));
  assert.deepEqual(gw2.calls.map((c) => c.ts.length), [8, 4, 4]);
  assert.equal(await store2.count(), 0);
});

test('tasks are sent in the order of their oldest fix, each batch of one task', async () => {
  const store = new MemoryFixStore();
  const gw = gateway(['network']);
  const timers = manualTimers();
  const box = new FixOutbox(store, gw.send, { timers });
  await box.record('late', [fix(5000)]);
  await box.record('early', [fix(1000), fix(9000)]);
  gw.calls.length = 0;
  timers.fire();
  await box.idle();
  assert.deepEqual(gw.calls, [{ taskId: 'early', ts: [1000, 9000] }, { taskId: 'late', ts: [5000] }]);
});

test('classify names every answer of the ingest endpoint', () => {
  assert.equal(classify(200, { stored: 3 }).kind, 'stored');
  assert.equal(classify(401, null).kind, 'auth');
  assert.equal(classify(404, null).kind, 'refused');
  assert.equal(classify(413, null).kind, 'too_large');
  assert.equal(classify(429, null).kind, 'retry');
  assert.equal(classify(503, null).kind, 'retry');
  assert.equal(classify(0, null).kind, 'retry');
  assert.equal(classify(400, { errors: [{ index: -1 }] }).kind, 'refused');
});
