// The rider app's offer list (offer-book.js) from the gateway's events (run by RiderJsModulesTest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OfferBook, haversineM } from '../../../main/resources/webroot/rider/offer-book.js';

const offer = (taskId, bonusAmount, extra = {}) => ({
  event: 'offer', taskId, title: taskId, bonusAmount, bonusCurrency: 'CNY',
  route: { id: 'r', name: 'r', lengthM: 1000, start: { lat: 31.23, lon: 121.47 } }, ...extra,
});

test('a snapshot replaces the list once complete; taken and withdrawn remove', () => {
  const book = new OfferBook();
  book.connecting();
  book.apply(offer('a', '10.00'));
  book.apply(offer('b', '12.00'));
  assert.equal(book.sorted().length, 0, 'nothing shown mid-snapshot');
  assert.equal(book.apply({ event: 'snapshot_complete', offers: 2 }).kind, 'snapshot');
  assert.equal(book.sorted().length, 2);
  assert.equal(book.apply(offer('c', '5.00')).kind, 'offer');
  assert.equal(book.apply({ event: 'taken', taskId: 'a', byYou: false }).kind, 'removed');
  assert.equal(book.apply({ event: 'withdrawn', taskId: 'b', reason: 'cancelled' }).kind, 'removed');
  assert.equal(book.apply({ event: 'taken', taskId: 'zzz', byYou: false }).kind, 'none', 'unknown: ignored');
  assert.deepEqual(book.sorted().map((o) => o.taskId), ['c']);
  // a reconnection's snapshot without c: c is gone
  book.connecting();
  book.apply(offer('d', '1.00'));
  book.apply({ event: 'snapshot_complete', offers: 1 });
  assert.deepEqual(book.sorted().map((o) => o.taskId), ['d']);
});

test('sorted by distance (the gateway\'s, else from here; unknown last) or by bonus', () => {
  const book = new OfferBook();
  book.apply(offer('far', '30.00', { distanceM: 5000 }));
  book.apply(offer('near', '5.00', { distanceM: 300 }));
  book.apply(offer('unknown', '50.00', { route: { start: null } }));
  book.apply(offer('local', '8.00', { route: { start: { lat: 31.2304, lon: 121.4837 } } }));
  const here = { lat: 31.2304, lon: 121.4737 };
  assert.deepEqual(book.sorted('distance', here).map((o) => o.taskId), ['near', 'local', 'far', 'unknown']);
  assert.deepEqual(book.sorted('bonus', here).map((o) => o.taskId), ['unknown', 'far', 'local', 'near']);
  assert.ok(Math.abs(OfferBook.distance(book.get('local'), here) - haversineM(here, { lat: 31.2304, lon: 121.4837 })) < 1e-6);
});
