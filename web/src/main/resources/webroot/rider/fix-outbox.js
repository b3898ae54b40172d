// The rider's offline buffer of GPS fixes, and its upload. Plain ES module, no DOM: the store
// (IndexedDB in the page, a Map in the unit test) and the sender (fetch to the gateway) are given.
//
// Rules (docs/gateway.md, "Native apps over MQTT" → Offline buffer, which the web app follows over
// HTTP):
// - every sampled fix is put in the buffer first, keyed by (taskId, ts): the same fix twice is one;
// - uploads go oldest first, in batches of at most BATCH_SIZE fixes of one task;
// - a fix leaves the buffer only after the gateway answered 200 for its batch;
// - whatever failed (offline, 5xx, 429) stays and is sent again later, with backoff, and at once
//   when the browser says it is back online.

export const BATCH_SIZE = 100;
export const MIN_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 30_000;

/**
 * What the gateway said about one batch, from an HTTP status and the parsed body:
 * `stored` (200), `rejected` (400 naming fixes by index: those can never be stored), `auth` (401:
 * refresh the token and retry), `refused` (403/404: this task takes no fixes now; keep them and
 * stop), `too_large` (413), `retry` (429, 5xx, network: try again later).
 */
export function classify(status, body) {
  if (status === 200) return { kind: 'stored' };
  if (status === 400) {
    const bad = (body?.errors ?? []).map((e) => e.index).filter((i) => Number.isInteger(i) && i >= 0);
    return bad.length ? { kind: 'rejected', indexes: [...new Set(bad)] } : { kind: 'refused', message: body?.message ?? '400' };
  }
  if (status === 401) return { kind: 'auth' };
  if (status === 403 || status === 404) return { kind: 'refused', message: body?.message ?? String(status) };
  if (status === 413) return { kind: 'too_large' };
  return { kind: 'retry', message: body?.message ?? (status ? String(status) : 'offline') };
}

// called as functions, not as methods of an object (a browser's setTimeout needs its own this)
const WINDOW_TIMERS = { set: (fn, ms) => setTimeout(fn, ms), clear: (id) => clearTimeout(id) };

export class FixOutbox {
  /**
   * @param store `{ put(taskId, fixes), oldest(taskId, limit), remove(taskId, tsList), tasks(), count() }`,
   *     all returning promises; oldest() in ts order; tasks() ordered by their oldest fix
   * @param send `async (taskId, fixes) => ({ status, body })` (status 0: no network)
   * @param options.onChange called with `{ pending, state, message }` after every change
   * @param options.timers `{ set(fn, ms), clear(id) }` (tests pass their own)
   */
  constructor(store, send, { onChange = () => {}, timers = WINDOW_TIMERS, batchSize = BATCH_SIZE } = {}) {
    this.store = store;
    this.send = send;
    this.onChange = onChange;
    this.timers = timers;
    this.batchSize = batchSize;
    this.backoffMs = 0;
    this.timer = null;
    this.running = null;
    this.again = false;
    this.state = 'idle'; // idle | sending | waiting (offline / retry) | refused
    this.message = '';
    this.uploaded = 0;
  }

  /**
   * Buffers fixes of a task (key taskId + ts), then uploads them, unless an upload failed lately
   * (then the backoff timer, or the browser's online event, sends them). Resolves when idle.
   */
  async record(taskId, fixes) {
    await this.store.put(taskId, fixes);
    await this.changed();
    if (this.timer === null) this.flush();
    await this.idle();
  }

  /** Resolves once no upload is running. */
  async idle() {
    while (this.running) await this.running;
  }

  /** The buffer's size. */
  pending() {
    return this.store.count();
  }

  /** Uploads now (single flight: a call while running makes it run once more). */
  flush() {
    if (this.timer !== null) {
      this.timers.clear(this.timer);
      this.timer = null;
    }
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.flush();
      }
    });
    return this.running;
  }

  async drain() {
    let size = this.batchSize;
    for (const taskId of await this.store.tasks()) {
      for (;;) {
        const batch = await this.store.oldest(taskId, size);
        if (!batch.length) break;
        this.state = 'sending';
        let answer;
        try {
          answer = await this.send(taskId, batch);
        } catch {
          answer = { status: 0, body: null };
        }
        const verdict = classify(answer.status, answer.body);
        if (verdict.kind === 'stored') {
          await this.store.remove(taskId, batch.map((f) => f.ts));
          this.uploaded += batch.length;
          this.backoffMs = 0;
          size = this.batchSize;
          await this.changed('idle', '');
        } else if (verdict.kind === 'rejected') {
          // the gateway will never store these (it named them): drop them, send the rest again
          await this.store.remove(taskId, verdict.indexes.map((i) => batch[i]?.ts).filter((ts) => ts !== undefined));
          await this.changed('sending', '');
        } else if (verdict.kind === 'too_large' && size > 1) {
          size = Math.max(1, Math.floor(size / 2));
        } else if (verdict.kind === 'refused') {
          await this.changed('refused', verdict.message);
          break; // keep them; another task may still take fixes
        } else {
          // auth (the sender already refreshed once), retry, too_large at 1: later, with backoff
          this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs ? this.backoffMs * 2 : MIN_BACKOFF_MS);
          await this.changed('waiting', verdict.message ?? '');
          this.timer = this.timers.set(() => {
            this.timer = null;
            this.flush();
          }, this.backoffMs);
          return;
        }
      }
    }
    if (this.state === 'sending') await this.changed('idle', '');
  }

  async changed(state = this.state, message = this.message) {
    this.state = state;
    this.message = message;
    this.onChange({ pending: await this.store.count(), state, message, uploaded: this.uploaded });
  }
}

/** The buffer in a Map (tests, and a browser without IndexedDB): same contract as the IDB store. */
export class MemoryFixStore {
  constructor() {
    this.byTask = new Map();
  }

  async put(taskId, fixes) {
    const m = this.byTask.get(taskId) ?? new Map();
    for (const f of fixes) m.set(f.ts, f);
    this.byTask.set(taskId, m);
  }

  async oldest(taskId, limit) {
    return [...(this.byTask.get(taskId)?.values() ?? [])].sort((a, b) => a.ts - b.ts).slice(0, limit);
  }

  async remove(taskId, tsList) {
    const m = this.byTask.get(taskId);
    if (!m) return;
    for (const ts of tsList) m.delete(ts);
    if (!m.size) this.byTask.delete(taskId);
  }

  async tasks() {
    const first = (m) => Math.min(...m.keys());
    return [...this.byTask.entries()].filter(([, m]) => m.size).sort((a, b) => first(a[1]) - first(b[1])).map(([t]) => t);
  }

  async count() {
    let n = 0;
    for (const m of this.byTask.values()) n += m.size;
    return n;
  }
}
