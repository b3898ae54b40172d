// The offline buffer in IndexedDB (the FixOutbox store contract, see fix-outbox.js), plus the
// ride's own track: every fix sampled, kept for the riding view. Both keyed [taskId, ts], written in
// one transaction, so a fix is in the track exactly when it was buffered.

const DB_NAME = 'tracklane-rider';
const OUTBOX = 'outbox';
const TRACK = 'track';

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

const taskRange = (taskId) => IDBKeyRange.bound([taskId, -Infinity], [taskId, Infinity]);

export async function openFixStore() {
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => {
    const db = open.result;
    db.createObjectStore(OUTBOX, { keyPath: ['taskId', 'ts'] });
    db.createObjectStore(TRACK, { keyPath: ['taskId', 'ts'] });
  };
  const db = await promised(open);
  return new IdbFixStore(db);
}

export class IdbFixStore {
  constructor(db) {
    this.db = db;
  }

  async put(taskId, fixes) {
    const tx = this.db.transaction([OUTBOX, TRACK], 'readwrite');
    for (const f of fixes) {
      tx.objectStore(OUTBOX).put({ taskId, ...f });
      tx.objectStore(TRACK).put({ taskId, ...f });
    }
    await done(tx);
  }

  async oldest(taskId, limit) {
    const tx = this.db.transaction(OUTBOX, 'readonly');
    const rows = await promised(tx.objectStore(OUTBOX).getAll(taskRange(taskId), limit));
    return rows.map(({ taskId: _t, ...fix }) => fix);
  }

  async remove(taskId, tsList) {
    const tx = this.db.transaction(OUTBOX, 'readwrite');
    for (const ts of tsList) tx.objectStore(OUTBOX).delete([taskId, ts]);
    await done(tx);
  }

  async tasks() {
    const tx = this.db.transaction(OUTBOX, 'readonly');
    const keys = await promised(tx.objectStore(OUTBOX).getAllKeys());
    const oldest = new Map();
    for (const [taskId, ts] of keys) oldest.set(taskId, Math.min(ts, oldest.get(taskId) ?? Infinity));
    return [...oldest.entries()].sort((a, b) => a[1] - b[1]).map(([t]) => t);
  }

  async count() {
    const tx = this.db.transaction(OUTBOX, 'readonly');
    return promised(tx.objectStore(OUTBOX).count());
  }

  /** Every fix sampled for a task, in ts order (the riding view's own track). */
  async track(taskId) {
    const tx = this.db.transaction(TRACK, 'readonly');
    const rows = await promised(tx.objectStore(TRACK).getAll(taskRange(taskId)));
    return rows.map(({ taskId: _t, ...fix }) => fix);
  }
}
