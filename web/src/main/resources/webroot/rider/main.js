// The rider web app: sign in, live offers, claim, my tasks, start, ride (GPS sampled into an
// offline buffer and uploaded to the gateway), receipt, complete, earnings, phone apps (device keys
// for OwnTracks / Traccar Client). Plain ES modules; every
// string from the API or a user reaches the page as text (shared/dom.js h()).
//
// Query parameters (for tests and demos): ?fixEveryMs=1000 samples GPS every second instead of
// every 10 s (200 … 60000).

import { $, clear, h } from '../shared/dom.js';
import { ApiClient, ApiError, loadConfig } from '../shared/api.js';
import { language, LANGUAGES, setLanguage, t } from './i18n.js';
import { OfferBook } from './offer-book.js';
import { FixOutbox, MemoryFixStore } from './fix-outbox.js';
import { openFixStore } from './fix-store.js';
import { DEFAULT_INTERVAL_MS, FixSampler } from './fix-sampler.js';
import { RideMap } from './ride-map.js';
import { liveProgressUrl, progressOf, progressText } from './ride-progress.js';
import { DevicesView } from './devices.js';

const params = new URLSearchParams(location.search);
const FIX_EVERY_MS = (() => {
  const v = Number(params.get('fixEveryMs'));
  return Number.isFinite(v) && v >= 200 && v <= 60_000 ? v : DEFAULT_INTERVAL_MS;
})();
const RECEIPT_POLL_MS = 1_000;
const RECEIPT_WAIT_MS = 120_000;

const state = {
  config: null,
  api: null,
  gateway: null, // URL of the gateway (offers stream, fix ingest)
  view: 'offers',
  sortBy: 'distance',
  here: null, // the device's position, for distances the gateway did not send
  book: new OfferBook(),
  stream: null,
  streamRetryMs: 1_000,
  streamTimer: null,
  claiming: new Set(),
  tasks: [],
  store: null,
  outbox: null,
  ride: null, // { task, route, watchId, sampler, wake, count, progress, live, liveState }
  map: null,
  uploadInfo: { pending: 0, state: 'idle', message: '', uploaded: 0 },
  devices: null, // DevicesView
};

// ---------------------------------------------------------------- language

function applyStaticStrings() {
  document.documentElement.lang = language();
  document.title = t('appTitle');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  const lang = $('lang');
  lang.textContent = t('language');
  lang.setAttribute('aria-label', t('languageLabel'));
  setConnection(document.getElementById('conn').dataset.state);
}

function switchLanguage() {
  const next = LANGUAGES[(LANGUAGES.indexOf(language()) + 1) % LANGUAGES.length];
  setLanguage(next);
  applyStaticStrings();
  renderOffers();
  renderTasks();
  state.devices?.render();
  if (state.ride) renderRideStats();
}

// ---------------------------------------------------------------- sign in

async function signIn(event) {
  event.preventDefault();
  const error = $('login-error');
  error.textContent = '';
  const username = $('login-username').value.trim();
  try {
    await state.api.signIn(username, $('login-password').value);
  } catch (e) {
    error.textContent = t('signInFailed', { message: e.message });
    return;
  }
  if (state.api.user?.role !== 'rider') {
    error.textContent = t('notRider', { user: username, role: state.api.user?.role ?? '?' });
    state.api.signOut();
    return;
  }
  $('login-password').value = '';
  enterApp();
}

function signOut() {
  stopRide();
  closeStream();
  state.api.signOut();
  state.devices?.reset();
  state.book = new OfferBook();
  $('tabs').hidden = true;
  show('login');
}

function show(view) {
  state.view = view;
  for (const v of ['login', 'offers', 'tasks', 'riding', 'earnings', 'devices']) $(`view-${v}`).hidden = v !== view;
  for (const b of document.querySelectorAll('.tab[data-view]')) {
    b.setAttribute('aria-pressed', String(b.dataset.view === view || (view === 'riding' && b.dataset.view === 'tasks')));
  }
  if (view === 'riding') state.map?.refresh();
}

async function enterApp() {
  $('tabs').hidden = false;
  show('offers');
  openStream();
  locateOnce();
  await loadTasks();
  const riding = state.tasks.find((task) => task.status === 'in_progress');
  if (riding) await openRide(riding);
}

// ---------------------------------------------------------------- offers

function setConnection(s) {
  const el = $('conn');
  el.dataset.state = s;
  el.textContent = t(s === 'live' ? 'live' : s === 'connecting' ? 'connecting' : 'offline');
}

function offersUrl() {
  const u = new URL(state.config.offersUrl ?? '/v1/offers', state.gateway);
  u.searchParams.set('access_token', state.api.accessToken ?? '');
  return u.toString();
}

function openStream() {
  closeStream();
  if (!state.api.signedIn) return;
  setConnection('connecting');
  const es = new EventSource(offersUrl());
  state.stream = es;
  es.onopen = () => {
    state.book.connecting();
    state.streamRetryMs = 1_000;
  };
  es.onmessage = (m) => {
    let event;
    try {
      event = JSON.parse(m.data);
    } catch {
      return;
    }
    const change = state.book.apply(event, Date.now());
    if (change.kind === 'snapshot') setConnection('live');
    if (change.kind !== 'none') renderOffers();
  };
  es.onerror = () => {
    if (es.readyState !== EventSource.CLOSED) {
      setConnection('connecting'); // the browser reconnects by itself
      return;
    }
    // refused (token expired: 401): a fresh token, then a new stream, with backoff
    setConnection('offline');
    closeStream();
    const wait = state.streamRetryMs;
    state.streamRetryMs = Math.min(30_000, state.streamRetryMs * 2);
    state.streamTimer = setTimeout(async () => {
      if (state.api.expiresInMs < 60_000) await state.api.refresh();
      if (state.api.signedIn) openStream();
    }, wait);
  };
}

function closeStream() {
  clearTimeout(state.streamTimer);
  state.stream?.close();
  state.stream = null;
}

/** The device's position once (and every few minutes), for distances to offers. */
function locateOnce() {
  if (!navigator.geolocation) return;
  navigator.geolocation.getCurrentPosition(
    (p) => {
      state.here = { lat: p.coords.latitude, lon: p.coords.longitude };
      renderOffers();
    },
    () => {},
    { maximumAge: 120_000, timeout: 20_000 },
  );
}

function formatDistance(m) {
  if (m === null) return t('distanceUnknown');
  return m >= 1000 ? t('distanceKm', { km: (m / 1000).toFixed(1) }) : t('distanceM', { m: Math.round(m) });
}

function formatTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(language(), { hour: '2-digit', minute: '2-digit', month: 'short', day: 'numeric' });
}

function renderOffers() {
  const list = clear($('offer-list'));
  const offers = state.book.sorted(state.sortBy, state.here);
  $('offers-empty').hidden = offers.length > 0;
  for (const o of offers) {
    const claiming = state.claiming.has(o.taskId);
    list.append(
      h('li', { class: 'item', dataset: { testid: 'offer', taskId: o.taskId, receivedAt: o.receivedAt } },
        h('span', { class: 'title', dataset: { testid: 'offer-title' } }, o.title),
        h('span', { class: 'meta' },
          h('span', { class: 'bonus', dataset: { testid: 'offer-bonus' } }, `${o.bonusAmount} ${o.bonusCurrency}`),
          ' · ',
          h('span', { dataset: { testid: 'offer-distance' } }, formatDistance(OfferBook.distance(o, state.here)))),
        h('span', { class: 'meta' },
          o.route?.lengthM ? t('routeLength', { km: (o.route.lengthM / 1000).toFixed(1) }) : '',
          ' · ', t('window', { time: formatTime(o.windowEnd) })),
        h('span', { class: 'actions' },
          h('button', {
            type: 'button', class: 'btn btn-primary', dataset: { testid: 'claim', taskId: o.taskId },
            disabled: claiming, onclick: () => claim(o),
          }, t(claiming ? 'claiming' : 'claim')))));
  }
}

function sortBy(by) {
  state.sortBy = by;
  $('sort-distance').setAttribute('aria-pressed', String(by === 'distance'));
  $('sort-bonus').setAttribute('aria-pressed', String(by === 'bonus'));
  renderOffers();
}

function banner(el, result, text) {
  el.hidden = false;
  el.dataset.result = result;
  el.textContent = text;
}

async function claim(offer) {
  if (state.claiming.has(offer.taskId)) return;
  state.claiming.add(offer.taskId);
  renderOffers();
  const result = $('claim-result');
  try {
    await state.api.request(`/tasks/${encodeURIComponent(offer.taskId)}/claim`, { method: 'POST' });
    banner(result, 'won', t('won', { title: offer.title }));
    result.dataset.taskId = offer.taskId;
    state.book.remove(offer.taskId);
    loadTasks();
  } catch (e) {
    result.dataset.taskId = offer.taskId;
    if (e instanceof ApiError && e.status === 409) {
      // lost the race (or the task left the pool): the offer goes away at once
      banner(result, 'taken', t('taken', { title: offer.title }));
      state.book.remove(offer.taskId);
    } else {
      banner(result, 'error', t('claimFailed', { message: e.message }));
    }
  } finally {
    state.claiming.delete(offer.taskId);
    renderOffers();
  }
}

// ---------------------------------------------------------------- my tasks

async function loadTasks() {
  try {
    const page = await state.api.request('/riders/me/tasks?limit=50');
    state.tasks = page?.items ?? [];
  } catch (e) {
    banner($('task-result'), 'error', e.message);
  }
  renderTasks();
}

function renderTasks() {
  const list = clear($('task-list'));
  $('tasks-empty').hidden = state.tasks.length > 0;
  for (const task of state.tasks) {
    const actions = [];
    if (task.status === 'claimed') {
      actions.push(h('button', { type: 'button', class: 'btn btn-primary', dataset: { testid: 'start', taskId: task.id }, onclick: () => start(task) }, t('start')));
    } else if (task.status === 'in_progress') {
      actions.push(h('button', { type: 'button', class: 'btn btn-primary', dataset: { testid: 'ride', taskId: task.id }, onclick: () => openRide(task) }, t('open')));
    }
    list.append(
      h('li', { class: 'item', dataset: { testid: 'task', taskId: task.id, status: task.status } },
        h('span', { class: 'title' }, task.title),
        h('span', { class: 'meta' }, h('span', { class: 'bonus' }, `${task.bonusAmount} ${task.bonusCurrency}`), ' · ', t(`status_${task.status}`)),
        h('span', { class: 'meta' }, t('window', { time: formatTime(task.windowEnd) })),
        h('span', { class: 'actions' }, actions)));
  }
}

async function start(task) {
  const result = $('task-result');
  result.hidden = true;
  try {
    const started = await state.api.request(`/tasks/${encodeURIComponent(task.id)}/start`, { method: 'POST' });
    await loadTasks();
    await openRide(started);
  } catch (e) {
    banner(result, 'error', t('startFailed', { message: e.message }));
  }
}

// ---------------------------------------------------------------- riding

async function fixStore() {
  if (state.store) return state.store;
  try {
    state.store = await openFixStore();
  } catch {
    state.store = new MemoryFixStore(); // no IndexedDB (private mode): the buffer lasts this page
  }
  return state.store;
}

async function sendFixes(taskId, fixes) {
  const url = new URL(`/v1/tasks/${encodeURIComponent(taskId)}/fixes`, state.gateway);
  const post = () => fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${state.api.accessToken}` },
    body: JSON.stringify(fixes),
    cache: 'no-store',
  });
  let res = await post();
  if (res.status === 401 && (await state.api.refresh())) res = await post();
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  return { status: res.status, body };
}

async function outbox() {
  if (state.outbox) return state.outbox;
  const store = await fixStore();
  state.outbox = new FixOutbox(store, sendFixes, {
    onChange: (info) => {
      state.uploadInfo = info;
      renderRideStats();
    },
  });
  state.outbox.flush(); // whatever an earlier visit left in the buffer
  return state.outbox;
}

async function openRide(task) {
  if (state.ride?.task.id === task.id) {
    show('riding');
    return;
  }
  stopRide();
  const box = await outbox();
  state.ride = {
    task, route: null, watchId: null, wake: null, count: 0,
    progress: null, live: null, liveState: 'waiting', liveTimer: null, liveRetryMs: 1_000,
  };
  $('ride-title').textContent = task.title;
  clear($('complete-result')).dataset.state = 'none';
  clear($('receipt-status')).dataset.state = 'none';
  $('complete').disabled = false;
  show('riding');
  if (!state.map) state.map = new RideMap($('ride-map'));
  state.map.refresh();
  try {
    const route = await state.api.request(`/routes/${encodeURIComponent(task.routeId)}`);
    state.ride.route = route;
    state.map.showRoute(route);
    const cps = clear($('checkpoint-list'));
    for (const cp of route.checkpoints ?? []) cps.append(h('li', {}, cp.name ?? '', ` (${cp.radiusM} m)`));
  } catch (e) {
    $('upload-status').textContent = e.message;
  }
  const track = await state.store.track?.(task.id) ?? [];
  state.ride.count = track.length;
  state.map.showTrack(track);
  state.uploadInfo = { ...state.uploadInfo, pending: await box.pending() };
  renderRideStats();
  startGps();
  keepScreenOn();
  openProgressStream(state.ride);
}

/**
 * The gateway's live stream for this ride's task (the gateway lets a rider see only their own
 * tasks): progress % and ETA from its task_snapshot and progress events.
 */
function openProgressStream(ride) {
  closeProgressStream(ride);
  if (state.ride !== ride || !state.api.signedIn) return;
  const es = new EventSource(liveProgressUrl(state.gateway, ride.task.id, state.api.accessToken));
  ride.live = es;
  es.onopen = () => {
    ride.liveRetryMs = 1_000;
  };
  es.onmessage = (m) => {
    let event;
    try {
      event = JSON.parse(m.data);
    } catch {
      return;
    }
    const p = progressOf(event, ride.task.id);
    if (!p) return;
    ride.progress = p;
    ride.liveState = 'live';
    renderRideStats();
  };
  es.onerror = () => {
    if (es.readyState !== EventSource.CLOSED) return; // the browser reconnects by itself
    // refused (token expired: 401): a fresh token, then a new stream, with backoff
    ride.liveState = 'offline';
    renderRideStats();
    closeProgressStream(ride);
    const wait = ride.liveRetryMs;
    ride.liveRetryMs = Math.min(30_000, ride.liveRetryMs * 2);
    ride.liveTimer = setTimeout(async () => {
      if (state.api.expiresInMs < 60_000) await state.api.refresh();
      openProgressStream(ride);
    }, wait);
  };
}

function closeProgressStream(ride) {
  clearTimeout(ride.liveTimer);
  ride.live?.close();
  ride.live = null;
}

function startGps() {
  const ride = state.ride;
  const gps = $('gps-status');
  if (!navigator.geolocation) {
    gps.textContent = t('gpsNone');
    return;
  }
  gps.textContent = t('gpsWaiting');
  ride.sampler = new FixSampler(FIX_EVERY_MS, (fix) => {
    ride.count += 1;
    state.here = { lat: fix.lat, lon: fix.lon };
    state.map.addFix(fix);
    renderRideStats();
    state.outbox.record(ride.task.id, [fix]);
  });
  ride.watchId = navigator.geolocation.watchPosition(
    (p) => {
      gps.textContent = `GPS ±${Math.round(p.coords.accuracy)} m`;
      ride.sampler.offer(p);
    },
    (err) => {
      gps.textContent = t('gpsDenied', { message: err.message });
    },
    { enableHighAccuracy: true, maximumAge: 0, timeout: 60_000 },
  );
}

async function keepScreenOn() {
  const ride = state.ride;
  const el = $('wake-status');
  if (!('wakeLock' in navigator)) {
    el.textContent = t('wakeOff');
    el.dataset.state = 'unsupported';
    return;
  }
  try {
    ride.wake = await navigator.wakeLock.request('screen');
    el.textContent = t('wakeOn');
    el.dataset.state = 'on';
    ride.wake.addEventListener('release', () => {
      el.textContent = t('wakeOff');
      el.dataset.state = 'released';
    });
  } catch {
    el.textContent = t('wakeOff');
    el.dataset.state = 'refused';
  }
}

function stopRide() {
  const ride = state.ride;
  if (!ride) return;
  if (ride.watchId !== null) navigator.geolocation?.clearWatch(ride.watchId);
  ride.wake?.release().catch(() => {});
  closeProgressStream(ride);
  state.ride = null;
}

function renderRideStats() {
  const ride = state.ride;
  if (!ride) return;
  const info = state.uploadInfo;
  const count = $('fix-count');
  count.dataset.n = ride.count;
  count.textContent = t('fixesRecorded', { n: ride.count });
  const pending = $('fix-pending');
  pending.dataset.n = info.pending;
  pending.textContent = t('fixesPending', { n: info.pending });
  const uploaded = $('fix-uploaded');
  uploaded.dataset.n = info.uploaded;
  uploaded.textContent = t('fixesUploaded', { n: info.uploaded });
  renderRideProgress();
  const status = $('upload-status');
  status.dataset.state = info.state;
  status.textContent = info.state === 'waiting' ? t('uploadOffline') : info.state === 'refused' ? t('uploadRefused', { message: info.message }) : '';
}

function renderRideProgress() {
  const ride = state.ride;
  if (!ride) return;
  const el = $('ride-progress');
  el.dataset.state = ride.liveState;
  el.dataset.percent = ride.progress ? String(Math.round(ride.progress.percent)) : '';
  if (ride.progress) {
    // the last known progress stays while the stream reconnects
    el.textContent = progressText(ride.progress, t);
  } else {
    el.textContent = ride.liveState === 'offline' ? t('progressOffline') : t('progressWaiting');
  }
}

// ---------------------------------------------------------------- receipt

async function uploadReceipt() {
  const input = $('receipt-file');
  const file = input.files?.[0];
  const ride = state.ride;
  if (!file || !ride) return;
  const status = $('receipt-status');
  const say = (s, text) => {
    status.dataset.state = s;
    status.textContent = text;
  };
  say('uploading', t('receiptUploading'));
  try {
    const grant = await state.api.request(`/tasks/${encodeURIComponent(ride.task.id)}/receipts`, {
      method: 'POST', body: { contentType: file.type, size: file.size },
    });
    const form = new FormData();
    for (const [k, v] of Object.entries(grant.upload.fields)) form.append(k, v);
    form.append(grant.upload.fileField, file);
    let res;
    try {
      res = await fetch(grant.upload.url, { method: 'POST', body: form });
    } catch {
      throw new Error(t('uploadOffline'));
    }
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    say('processing', t('receiptReading'));
    const id = grant.receipt.id;
    const deadline = Date.now() + RECEIPT_WAIT_MS;
    let receipt = grant.receipt;
    while (['uploading', 'processing'].includes(receipt.status) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, RECEIPT_POLL_MS));
      receipt = await state.api.request(`/receipts/${encodeURIComponent(id)}`);
    }
    if ((receipt.status === 'extracted' || receipt.status === 'confirmed') && receipt.amount) {
      say('extracted', t('receiptAmount', { amount: receipt.amount, currency: receipt.currency ?? '' }));
      status.dataset.amount = receipt.amount;
    } else {
      say('review', t('receiptReview'));
    }
  } catch (e) {
    say('failed', t('receiptFailed', { message: e.message }));
  } finally {
    input.value = '';
  }
}

// ---------------------------------------------------------------- complete

async function complete() {
  const ride = state.ride;
  if (!ride) return;
  const out = clear($('complete-result'));
  const button = $('complete');
  button.disabled = true;
  out.dataset.state = 'busy';
  out.textContent = t('completing');
  try {
    // the arrival check reads the stored track: every buffered fix goes first
    await state.outbox.flush();
    const left = await state.outbox.pending();
    if (left > 0) throw new ApiError(0, 'pending', t('fixesPending', { n: left }) + ' — ' + t('uploadOffline'));
    const task = await state.api.request(`/tasks/${encodeURIComponent(ride.task.id)}/complete`, { method: 'POST' });
    clear(out);
    if (task.status === 'needs_review') {
      out.dataset.state = 'held';
      out.textContent = t('completedHeld');
    } else {
      out.dataset.state = 'done';
      out.textContent = t('completed', { amount: task.bonusAmount, currency: task.bonusCurrency });
    }
    stopRide();
    state.ride = null;
    loadTasks();
    loadEarnings();
  } catch (e) {
    clear(out);
    out.dataset.state = 'error';
    out.append(h('p', {}, t('completeFailed', { message: e.message })));
    // the API's arrival errors, one per shortfall, as it wrote them
    if (e.errors?.length) out.append(h('ul', { dataset: { testid: 'complete-errors' } }, e.errors.map((x) => h('li', {}, x.message))));
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- earnings

async function loadEarnings() {
  const totals = clear($('earnings-totals'));
  const entries = clear($('earnings-entries'));
  try {
    const e = await state.api.request('/riders/me/earnings?limit=20');
    for (const total of e.totals ?? []) {
      totals.append(h('li', { dataset: { testid: 'earnings-total', currency: total.currency, amount: total.amount } }, `${total.amount} ${total.currency}`));
    }
    for (const entry of e.entries ?? []) {
      entries.append(h('li', { class: 'item' },
        h('span', { class: 'title' }, `${entry.amount} ${entry.currency}`),
        h('span', { class: 'meta' }, entry.kind === 'task_bonus' ? t('bonusFor') : entry.note ?? entry.kind, ' · ', formatTime(entry.createdAt))));
    }
    $('earnings-empty').hidden = (e.totals ?? []).length > 0;
  } catch (err) {
    totals.append(h('li', {}, err.message));
  }
}

// ---------------------------------------------------------------- start

async function main() {
  applyStaticStrings();
  $('lang').addEventListener('click', switchLanguage);
  state.config = await loadConfig();
  state.gateway = new URL('/', new URL(state.config.liveUrl, location.href)).toString();
  state.api = new ApiClient(state.config, {
    storage: 'session',
    onSessionEnded: (message) => {
      signOut();
      $('login-error').textContent = t('sessionEnded') || message;
    },
  });
  $('login-form').addEventListener('submit', signIn);
  state.devices = new DevicesView(state.api, formatTime);
  $('logout').addEventListener('click', signOut);
  $('sort-distance').addEventListener('click', () => sortBy('distance'));
  $('sort-bonus').addEventListener('click', () => sortBy('bonus'));
  $('ride-back').addEventListener('click', () => {
    show('tasks');
    loadTasks();
  });
  $('receipt-file').addEventListener('change', uploadReceipt);
  $('complete').addEventListener('click', complete);
  for (const b of document.querySelectorAll('.tab[data-view]')) {
    b.addEventListener('click', () => {
      const view = b.dataset.view === 'tasks' && state.ride ? 'riding' : b.dataset.view;
      show(view);
      if (view === 'tasks') loadTasks();
      if (view === 'earnings') loadEarnings();
      if (view === 'devices') state.devices.load();
    });
  }
  // back online: send the buffer now rather than at the next backoff
  window.addEventListener('online', () => {
    state.outbox?.flush();
    if (state.stream?.readyState === EventSource.OPEN) setConnection('live');
  });
  window.addEventListener('offline', () => {
    if (state.stream) setConnection('offline');
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && state.ride && state.ride.wake?.released !== false) keepScreenOn();
  });
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('sw.js', { scope: './' }).catch((e) => console.warn(`service worker: ${e.message}`));
  }
  if (state.api.signedIn && state.api.user?.role === 'rider') enterApp();
  else show('login');
}

main().catch((e) => {
  $('login-error').textContent = e.message;
});
