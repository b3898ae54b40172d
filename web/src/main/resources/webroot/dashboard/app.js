// Tracklane dispatcher dashboard: plain ES module, Leaflet from the gateway's webjar, no build step.
// The DOM helpers and the API client are the shared ones (../shared/); every name a user typed is
// shown as text, map tooltips included (they get h() nodes: Leaflet reads a string as HTML).
//
// Flow: config.json → sign in against the back office (token kept in memory only) → tasks in
// progress and their routes from the API → the gateway's live stream (SSE) moves riders, fills
// progress bars and feeds alerts → finished tasks can be played back from their stored track.

import * as L from '../vendor/leaflet/leaflet-src.esm.js';
import { ApiClient, loadConfig } from '../shared/api.js';
import { $, h, textLines } from '../shared/dom.js';
import { wgs84ToGcj02 } from '../shared/gcj02.js';
import { ReceiptsView } from './receipts.js';
import { ReportsView } from './reports.js';
import { hasProblems, markedStretches, problemLines, scoreLine } from './track-completeness.js';

const COLORS = ['#2563eb', '#c2410c', '#047857', '#7c3aed', '#be185d', '#0e7490', '#4d7c0f', '#b91c1c'];
const LIVE_EVENTS = ['task_snapshot', 'fix', 'progress', 'alert', 'task_status'];
const FINISHED = new Set(['completed', 'cancelled', 'expired']);
const MAX_ALERTS = 200;
const DONE_LINGER_MS = 30_000;
const TRAIL_FIXES = 60;
/**
 * The cards' track completeness (GET /tasks/{id}, which reads the task's fixes) is refreshed every
 * TRACK_REFRESH_MS for at most TRACK_REFRESH_BATCH cards, the least recently refreshed first: a
 * big fleet costs the back office a bounded rate, not one read per task per tick.
 */
const TRACK_REFRESH_MS = 20_000;
const TRACK_REFRESH_BATCH = 25;
const ALERT_LABELS = {
  off_route: 'Off route',
  back_on_route: 'Back on route',
  checkpoint_reached: 'Checkpoint reached',
  stopped: 'Stopped',
  moving: 'Moving again',
  arrived: 'Arrived',
  status: 'Status',
};
const STATUS_LABELS = {
  open: 'Open', claimed: 'Claimed', in_progress: 'In progress', completed: 'Completed', cancelled: 'Cancelled',
  expired: 'Expired',
};

const state = {
  config: null,
  client: null, // the shared ApiClient: tokens in memory only
  map: null,
  layers: null,
  tasks: new Map(), // taskId → view
  pending: new Map(), // taskId → Promise<view | null>
  routes: new Map(), // routeId → Promise<route>
  routeLayers: new Map(), // routeId → { group, route }
  users: new Map(), // userId → display name (admins can list users)
  finished: new Map(), // taskId → task, for playback
  nextColor: 0,
  hasTiles: false,
  filter: '',
  gcj: false,
  stream: null,
  streamTimer: null,
  streamFailures: 0,
  everConnected: false,
  playback: null,
  trackTimer: null,
};

// ---------------------------------------------------------------------------------------------
// Small helpers

const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));
const isNum = (x) => typeof x === 'number' && Number.isFinite(x);

function clock(ts) {
  if (!isNum(ts)) return '--:--:--';
  return new Date(ts).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function formatEta(seconds) {
  if (!isNum(seconds) || seconds < 0) return 'ETA —';
  if (seconds < 60) return 'ETA < 1 min';
  const m = Math.round(seconds / 60);
  if (m < 60) return `ETA ${m} min`;
  return `ETA ${Math.floor(m / 60)} h ${m % 60} min`;
}

function formatDistance(m) {
  if (!isNum(m)) return '';
  return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`;
}

/** Display position: the stored WGS-84, or GCJ-02 for a Chinese basemap. */
function disp(lat, lon) {
  return state.gcj ? wgs84ToGcj02(lat, lon) : [lat, lon];
}

function riderName(riderId) {
  if (!riderId) return 'no rider';
  return state.users.get(riderId) ?? `Rider ${String(riderId).slice(0, 8)}`;
}

// ---------------------------------------------------------------------------------------------
// Back-office API (the shared client)

const signedIn = () => !!state.client?.signedIn;
const api = (path, options) => state.client.request(path, options);
const allPages = (path, key, maxPages) => state.client.allPages(path, key, maxPages);

// ---------------------------------------------------------------------------------------------
// Sign in / out

async function onLogin(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const username = $('login-username').value.trim();
  const password = $('login-password').value;
  const error = $('login-error');
  error.textContent = '';
  if (!username || !password) {
    error.textContent = 'Enter your username and password.';
    return;
  }
  form.setAttribute('aria-busy', 'true');
  form.querySelector('button[type=submit]').disabled = true;
  try {
    const tokens = await state.client.signIn(username, password);
    const role = tokens.user?.role;
    if (role !== 'manager' && role !== 'admin') {
      state.client.signOut();
      error.textContent = `This dashboard is for managers and admins; ${username} is a ${role}.`;
      return;
    }
    $('login-password').value = '';
    await enterBoard();
  } catch (e) {
    if (e.status === 401) error.textContent = 'Wrong username or password.';
    else if (e.status === 429) error.textContent = `Too many attempts. Try again in ${e.retryAfter ?? 'a few'} seconds.`;
    else error.textContent = e.message;
  } finally {
    form.removeAttribute('aria-busy');
    form.querySelector('button[type=submit]').disabled = false;
  }
}

function signOut(message) {
  state.receipts?.close();
  state.reports?.close();
  closeStream();
  stopPlayback();
  clearInterval(state.trackTimer);
  state.trackTimer = null;
  state.client.signOut();
  for (const v of state.tasks.values()) removeTaskView(v);
  state.tasks.clear();
  state.pending.clear();
  state.routes.clear();
  for (const r of state.routeLayers.values()) r.group.remove();
  state.routeLayers.clear();
  state.users.clear();
  state.finished.clear();
  state.everConnected = false;
  $('alert-feed').replaceChildren();
  resetPlaybackOptions();
  updateCounts();
  $('board').hidden = true;
  $('session-tools').hidden = true;
  $('login-view').hidden = false;
  $('login-error').textContent = message ?? '';
  $('login-username').focus();
}

async function enterBoard() {
  $('login-view').hidden = true;
  $('board').hidden = false;
  $('session-tools').hidden = false;
  const { user } = state.client;
  $('who').textContent = `${user.displayName ?? user.username} (${user.role})`;
  ensureMap();
  state.map.invalidateSize();
  if (user.role === 'admin') await loadUserNames();
  await syncTasks(true);
  connectStream();
  loadFinishedTasks();
  clearInterval(state.trackTimer);
  state.trackTimer = setInterval(refreshTracks, TRACK_REFRESH_MS);
}

async function loadUserNames() {
  try {
    for (const u of await allPages('/users?limit=200', 'users', 10)) state.users.set(u.id, u.displayName || u.username);
  } catch {
    // names are a nicety: ids are shown instead
  }
}

// ---------------------------------------------------------------------------------------------
// Map

function ensureMap() {
  if (state.map) return;
  const map = L.map('map', { zoomControl: true, attributionControl: true, keyboard: true }).setView([31.2304, 121.4737], 14);
  map.attributionControl.setPrefix('Leaflet');
  L.control.scale({ imperial: false }).addTo(map);
  const tileUrl = new URLSearchParams(location.search).get('tiles') || state.config.tileUrl;
  if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 19, attribution: state.config.tileAttribution ?? '' }).addTo(map);
  state.hasTiles = Boolean(tileUrl);
  showNote(baseNote());
  state.map = map;
  state.layers = {
    routes: L.layerGroup().addTo(map),
    riders: L.layerGroup().addTo(map),
    playback: L.layerGroup().addTo(map),
  };
}

function routeLatLngs(route) {
  return (route.geometry?.coordinates ?? []).map(([lon, lat]) => disp(lat, lon));
}

/** Draws a route once however many tasks run on it: the line with a casing, and its checkpoints. */
function drawRoute(routeId) {
  const entry = state.routeLayers.get(routeId);
  if (!entry) return;
  entry.group.clearLayers();
  const pts = routeLatLngs(entry.route);
  if (pts.length < 2) return;
  L.polyline(pts, { color: '#ffffff', weight: 9, opacity: 0.9, interactive: false }).addTo(entry.group);
  // tooltips are DOM nodes with text children: Leaflet would parse a string as HTML
  L.polyline(pts, { color: '#334155', weight: 5, opacity: 0.85, className: 'route-line' })
    .bindTooltip(h('span', { 'data-testid': 'route-tooltip' }, entry.route.name ?? 'Route'), { sticky: true })
    .addTo(entry.group);
  L.circleMarker(pts[0], { radius: 6, color: '#334155', weight: 2, fillColor: '#ffffff', fillOpacity: 1 })
    .bindTooltip(h('span', {}, `Start: ${entry.route.name ?? ''}`)).addTo(entry.group);
  L.circleMarker(pts[pts.length - 1], { radius: 6, color: '#ffffff', weight: 2, fillColor: '#334155', fillOpacity: 1 })
    .bindTooltip(h('span', {}, 'Finish')).addTo(entry.group);
  for (const cp of entry.route.checkpoints ?? []) {
    L.circle(disp(cp.lat, cp.lon), {
      radius: cp.radiusM ?? 30, color: '#b45309', weight: 2, fillColor: '#f59e0b', fillOpacity: 0.18,
    }).bindTooltip(h('span', {}, `Checkpoint: ${cp.name} (${cp.radiusM ?? '?'} m)`)).addTo(entry.group);
  }
}

function riderIcon(v) {
  const dot = h('span', { class: `rider-dot${v.offRoute ? ' is-off' : ''}${v.status !== 'in_progress' ? ' is-done' : ''}` },
    String(v.number));
  dot.style.setProperty('--c', v.color);
  return L.divIcon({ className: 'rider-icon', html: dot, iconSize: [30, 30], iconAnchor: [15, 15] });
}

function riderTooltip(v) {
  const p = v.progress;
  const parts = [`${v.task.title} — ${riderName(v.riderId)}`];
  if (p && isNum(p.percent)) parts.push(`${Math.round(p.percent)}% · ${formatEta(p.etaSeconds)}`);
  if (v.offRoute) parts.push(`Off route ${formatDistance(v.progress?.offRouteM)}`);
  const node = textLines(parts);
  node.dataset.testid = 'rider-tooltip';
  return node;
}

/** The rider's recent fixes, thin in the task's colour: shows where a rider left the route. */
function drawTrail(v) {
  if (!state.map) return;
  const pts = v.trail.map(([lat, lon]) => disp(lat, lon));
  if (!v.trailLine) {
    v.trailLine = L.polyline(pts, { color: v.color, weight: 2, opacity: 0.6, dashArray: '2 6', interactive: false });
    if (isVisible(v)) v.trailLine.addTo(state.layers.riders);
  } else {
    v.trailLine.setLatLngs(pts);
  }
}

function placeMarker(v) {
  if (!v.lastFix || !state.map) return;
  drawTrail(v);
  const at = disp(v.lastFix.lat, v.lastFix.lon);
  if (!v.marker) {
    v.marker = L.marker(at, { icon: riderIcon(v), title: `${v.task.title}: ${riderName(v.riderId)}`, keyboard: true, riseOnHover: true })
      .bindTooltip(riderTooltip(v), { direction: 'top', offset: [0, -14], className: 'rider-tip' });
    v.marker.on('click', () => focusTask(v.id));
    if (isVisible(v)) v.marker.addTo(state.layers.riders);
  } else {
    v.marker.setLatLng(at);
    v.marker.setIcon(riderIcon(v));
    v.marker.setTooltipContent(riderTooltip(v));
  }
}

function redrawAll() {
  for (const id of state.routeLayers.keys()) drawRoute(id);
  for (const v of state.tasks.values()) placeMarker(v);
  if (state.playback?.fixes) drawPlayback();
}

// ---------------------------------------------------------------------------------------------
// Tasks

function loadRoute(routeId) {
  if (!state.routes.has(routeId)) {
    const p = api(`/routes/${encodeURIComponent(routeId)}`).catch((e) => {
      state.routes.delete(routeId);
      throw e;
    });
    state.routes.set(routeId, p);
  }
  return state.routes.get(routeId);
}

/** The in-progress tasks from the API; adds new ones, drops those no longer in progress. */
async function syncTasks(fit) {
  let tasks;
  try {
    tasks = await allPages('/tasks?status=in_progress&limit=200', 'items', 10);
  } catch (e) {
    showNote(`Could not load tasks: ${e.message}`);
    return;
  }
  const ids = new Set(tasks.map((t) => t.id));
  // numbered (and coloured) in title order, the order of the list
  tasks.sort((a, b) => a.title.localeCompare(b.title, undefined, { numeric: true }));
  for (const t of tasks) await ensureTask(t.id, t);
  for (const v of [...state.tasks.values()]) {
    if (!ids.has(v.id) && v.status === 'in_progress') {
      // finished while we were not listening: its final status comes from the API
      api(`/tasks/${encodeURIComponent(v.id)}`).then((t) => setStatus(v.id, t.status, t)).catch(() => {});
    }
  }
  if (fit) fitToTasks();
}

/** The view of a task, created (task and route fetched) the first time it is seen. */
function ensureTask(taskId, task) {
  const known = state.tasks.get(taskId);
  if (known) return Promise.resolve(known);
  if (state.pending.has(taskId)) return state.pending.get(taskId);
  const p = (async () => {
    const t = task ?? await api(`/tasks/${encodeURIComponent(taskId)}`);
    const route = await loadRoute(t.routeId);
    if (!signedIn()) return null; // signed out meanwhile
    return state.tasks.get(taskId) ?? createTaskView(t, route);
  })().catch((e) => {
    showNote(`Could not load task ${taskId}: ${e.message}`);
    return null;
  }).finally(() => state.pending.delete(taskId));
  state.pending.set(taskId, p);
  return p;
}

function createTaskView(task, route) {
  const color = COLORS[state.nextColor % COLORS.length];
  const number = (state.nextColor % 99) + 1;
  state.nextColor++;
  const v = {
    id: task.id, task, route, color, number, riderId: task.claimedBy, status: task.status,
    lastFix: null, progress: null, offRoute: false, stopped: false, arrived: false, marker: null, doneTimer: null,
    trail: [], trailLine: null,
  };
  if (!state.routeLayers.has(route.id)) {
    state.routeLayers.set(route.id, { group: L.layerGroup().addTo(state.layers.routes), route });
    drawRoute(route.id);
  }

  const titleId = `task-title-${task.id}`;
  const badge = h('span', { class: 'task-num', 'aria-hidden': 'true' }, String(number));
  badge.style.setProperty('--c', color);
  const focus = h('button', {
    type: 'button', class: 'task-title', id: titleId, title: 'Show on the map', 'data-testid': 'task-focus', 'data-task-id': task.id,
  },
    badge, h('span', { text: task.title }));
  focus.addEventListener('click', () => focusTask(task.id));
  v.statusTag = h('span', { class: 'tag', 'data-testid': 'task-status' });
  v.offTag = h('span', { class: 'tag tag-off', 'data-testid': 'task-offroute', hidden: true });
  v.stateTag = h('span', { class: 'tag', 'data-testid': 'task-state', hidden: true });
  v.meta = h('p', { class: 'task-meta' });
  v.fill = h('span', { class: 'progress-fill' });
  v.fill.style.setProperty('--c', color);
  v.pct = h('span', { class: 'progress-label', 'data-testid': 'task-percent' }, '0%');
  v.bar = h('div', {
    class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0,
    'aria-labelledby': titleId, 'data-testid': 'task-progress', 'data-task-id': task.id, 'data-percent': '0',
  }, v.fill, v.pct);
  v.eta = h('span', { class: 'task-eta', 'data-testid': 'task-eta' }, 'ETA —');
  v.cps = h('span', { class: 'task-cps' });
  v.track = h('p', { class: 'task-track', 'data-testid': 'task-track', hidden: true });
  v.trackProblems = h('ul', { class: 'task-track-problems', 'data-testid': 'task-track-problems', hidden: true });
  v.li = h('li', { class: 'task', 'data-testid': 'task-item', 'data-task-id': task.id },
    h('div', { class: 'task-head' }, focus, v.stateTag, v.offTag, v.statusTag),
    v.meta,
    v.bar,
    h('p', { class: 'task-foot' }, v.eta, v.cps),
    v.track,
    v.trackProblems);
  state.tasks.set(task.id, v);
  insertSorted(v);
  renderTask(v);
  applyFilterTo(v);
  updateCounts();
  renderTrack(v, task.trackCompleteness);
  if (!task.trackCompleteness) refreshTrack(v);
  return v;
}

/** The card's track completeness: the score, and each gap and late burst in words. */
function renderTrack(v, c) {
  if (!c) return;
  v.completeness = c;
  v.track.hidden = false;
  v.track.textContent = scoreLine(c);
  v.track.classList.toggle('has-problems', hasProblems(c));
  v.track.title = c.summary ?? '';
  const lines = problemLines(c);
  v.trackProblems.replaceChildren(...lines.map((t) => h('li', { text: t })));
  v.trackProblems.hidden = lines.length === 0;
}

async function refreshTrack(v) {
  v.trackRefreshedAt = Date.now();
  try {
    const t = await api(`/tasks/${encodeURIComponent(v.id)}`);
    if (state.tasks.get(v.id) === v) renderTrack(v, t?.trackCompleteness);
  } catch {
    // the score is a nicety: the card keeps the last one
  }
}

function refreshTracks() {
  if (!signedIn()) return;
  const due = [...state.tasks.values()]
    .filter((v) => v.status === 'in_progress')
    .sort((a, b) => (a.trackRefreshedAt ?? 0) - (b.trackRefreshedAt ?? 0))
    .slice(0, TRACK_REFRESH_BATCH);
  for (const v of due) refreshTrack(v);
}

function insertSorted(v) {
  const list = $('task-list');
  const after = [...list.children].find((li) => {
    const o = state.tasks.get(li.dataset.taskId);
    return o && o.task.title.localeCompare(v.task.title, undefined, { numeric: true }) > 0;
  });
  list.insertBefore(v.li, after ?? null);
}

function renderTask(v) {
  const p = v.progress;
  const pct = p && isNum(p.percent) ? clamp(p.percent, 0, 100) : (v.status === 'completed' ? 100 : 0);
  v.fill.style.width = `${pct}%`;
  v.pct.textContent = `${Math.round(pct)}%`;
  v.bar.setAttribute('aria-valuenow', String(Math.round(pct)));
  v.bar.dataset.percent = pct.toFixed(1);
  v.bar.setAttribute('aria-valuetext', `${Math.round(pct)} percent, ${formatEta(p?.etaSeconds)}`);
  v.eta.textContent = v.status === 'in_progress' ? formatEta(p?.etaSeconds) : (STATUS_LABELS[v.status] ?? v.status);
  const cpTotal = p?.checkpointsTotal ?? v.route.checkpoints?.length ?? 0;
  v.cps.textContent = cpTotal ? `Checkpoints ${p?.checkpointsReached ?? 0}/${cpTotal}` : '';
  const bits = [riderName(v.riderId)];
  if (p && isNum(p.speedMps)) bits.push(`${(p.speedMps * 3.6).toFixed(0)} km/h`);
  if (p && isNum(p.alongM) && isNum(p.lengthM)) bits.push(`${formatDistance(p.alongM)} of ${formatDistance(p.lengthM)}`);
  else bits.push(formatDistance(v.route.lengthM));
  if (v.lastFix) bits.push(`last fix ${clock(v.lastFix.ts)}`);
  v.meta.textContent = bits.join(' · ');
  v.statusTag.textContent = STATUS_LABELS[v.status] ?? v.status;
  v.statusTag.dataset.status = v.status;
  v.statusTag.hidden = v.status === 'in_progress'; // the list is of tasks in progress: say only when one ends
  v.offTag.hidden = !v.offRoute;
  v.offTag.textContent = v.offRoute ? `Off route ${formatDistance(p?.offRouteM)}`.trim() : '';
  const phase = v.arrived ? 'arrived' : (v.stopped ? 'stopped' : '');
  v.stateTag.hidden = !phase;
  v.stateTag.textContent = phase === 'arrived' ? 'Arrived' : 'Stopped';
  v.stateTag.dataset.state = phase;
  v.li.classList.toggle('is-off', v.offRoute);
  v.li.classList.toggle('is-done', v.status !== 'in_progress');
}

function applyFix(v, f) {
  if (!isNum(f.lat) || !isNum(f.lon)) return;
  if (v.lastFix && isNum(f.ts) && isNum(v.lastFix.ts) && f.ts < v.lastFix.ts) return; // late, older fix
  const moved = !v.lastFix || v.lastFix.lat !== f.lat || v.lastFix.lon !== f.lon;
  v.lastFix = { ts: f.ts, lat: f.lat, lon: f.lon };
  if (moved) {
    v.trail.push([f.lat, f.lon]);
    if (v.trail.length > TRAIL_FIXES) v.trail.shift();
  }
  if (f.riderId) v.riderId = f.riderId;
  placeMarker(v);
}

function applyProgress(v, p) {
  if (v.progress && isNum(p.ts) && isNum(v.progress.ts) && p.ts < v.progress.ts) return;
  v.progress = { ...v.progress, ...p };
  if (typeof p.onRoute === 'boolean') v.offRoute = !p.onRoute;
  if (typeof p.stopped === 'boolean') v.stopped = p.stopped;
  if (p.arrived === true) v.arrived = true;
  applyFix(v, p);
  renderTask(v);
  placeMarker(v);
}

function setStatus(taskId, status, task) {
  const v = state.tasks.get(taskId);
  if (task && FINISHED.has(status) && status === 'completed') addFinished(task);
  if (!v) {
    if (status === 'in_progress') ensureTask(taskId).then((nv) => nv && fitIfFirst());
    return;
  }
  if (task) v.task = task;
  v.status = status;
  if (task?.trackCompleteness) renderTrack(v, task.trackCompleteness);
  renderTask(v);
  placeMarker(v);
  if (FINISHED.has(status)) {
    if (status === 'completed') addFinished(v.task);
    clearTimeout(v.doneTimer);
    v.doneTimer = setTimeout(() => {
      removeTaskView(v);
      state.tasks.delete(v.id);
      updateCounts();
    }, DONE_LINGER_MS);
  }
}

function removeTaskView(v) {
  clearTimeout(v.doneTimer);
  v.li?.remove();
  v.marker?.remove();
  v.trailLine?.remove();
  const stillUsed = [...state.tasks.values()].some((o) => o !== v && o.route.id === v.route.id);
  if (!stillUsed) {
    state.routeLayers.get(v.route.id)?.group.remove();
    state.routeLayers.delete(v.route.id);
  }
}

function focusTask(taskId) {
  const v = state.tasks.get(taskId);
  if (!v || !state.map) return;
  for (const o of state.tasks.values()) o.li.classList.toggle('is-selected', o === v);
  if (v.lastFix) {
    state.map.setView(disp(v.lastFix.lat, v.lastFix.lon), Math.max(state.map.getZoom(), 16));
    v.marker?.openTooltip();
  } else {
    const pts = routeLatLngs(v.route);
    if (pts.length) state.map.fitBounds(L.latLngBounds(pts), { padding: [40, 40] });
  }
}

function fitToTasks() {
  const pts = [];
  for (const v of state.tasks.values()) if (isVisible(v)) pts.push(...routeLatLngs(v.route));
  if (pts.length) state.map.fitBounds(L.latLngBounds(pts), { padding: [40, 40], maxZoom: 17 });
}

function fitIfFirst() {
  if (state.tasks.size === 1) fitToTasks();
}

function updateCounts() {
  const all = [...state.tasks.values()].filter((v) => v.status === 'in_progress');
  const shown = all.filter(isVisible);
  $('task-count').textContent = state.filter ? `${shown.length} of ${all.length}` : String(all.length);
  const anyShown = [...state.tasks.values()].some(isVisible);
  $('task-empty').hidden = anyShown;
  $('task-empty').textContent = state.tasks.size && !anyShown ? 'No task matches the filter.' : 'No tasks in progress.';
}

// ---------------------------------------------------------------------------------------------
// Filter

function matches(v) {
  if (!state.filter) return true;
  const hay = [v.task.title, v.id, v.riderId, riderName(v.riderId), v.route.name, v.route.id]
    .filter(Boolean).join(' ').toLowerCase();
  return state.filter.split(/\s+/).every((word) => hay.includes(word));
}

function isVisible(v) {
  return matches(v);
}

function applyFilterTo(v) {
  const show = isVisible(v);
  v.li.hidden = !show;
  for (const layer of [v.marker, v.trailLine]) {
    if (!layer) continue;
    if (show) layer.addTo(state.layers.riders);
    else layer.remove();
  }
}

function applyFilter() {
  state.filter = $('task-filter').value.trim().toLowerCase();
  for (const v of state.tasks.values()) applyFilterTo(v);
  for (const [routeId, entry] of state.routeLayers) {
    const used = [...state.tasks.values()].some((v) => v.route.id === routeId && isVisible(v));
    if (used || !state.filter) entry.group.addTo(state.layers.routes);
    else entry.group.remove();
  }
  for (const li of $('alert-feed').children) {
    const v = state.tasks.get(li.dataset.taskId);
    li.hidden = !!state.filter && (v ? !isVisible(v) : !li.textContent.toLowerCase().includes(state.filter));
  }
  updateCounts();
}

// ---------------------------------------------------------------------------------------------
// Alerts

function addAlert(a) {
  const type = a.type ?? 'status';
  const v = state.tasks.get(a.taskId);
  const label = ALERT_LABELS[type] ?? type.replaceAll('_', ' ');
  const what = v ? `${v.task.title} · ${riderName(a.riderId ?? v.riderId)}` : `Task ${String(a.taskId ?? '').slice(0, 8)}`;
  const body = h('button', { type: 'button', class: 'alert-body', disabled: !(isNum(a.lat) && isNum(a.lon)) || undefined },
    h('span', { class: 'alert-head' },
      h('span', { class: 'alert-type', 'data-testid': 'alert-type' }, label),
      h('time', { class: 'alert-time', datetime: isNum(a.ts) ? new Date(a.ts).toISOString() : undefined }, clock(a.ts))),
    h('span', { class: 'alert-task' }, what),
    a.message ? h('span', { class: 'alert-msg' }, a.message) : null);
  if (v) {
    const dot = h('span', { class: 'task-num task-num-small', 'aria-hidden': 'true' }, String(v.number));
    dot.style.setProperty('--c', v.color);
    body.querySelector('.alert-head').prepend(dot);
  }
  body.addEventListener('click', () => {
    if (isNum(a.lat) && isNum(a.lon)) state.map.setView(disp(a.lat, a.lon), Math.max(state.map.getZoom(), 16));
  });
  const li = h('li', {
    class: `alert alert-${type}`, 'data-testid': 'alert-item', 'data-alert-type': type, 'data-task-id': a.taskId,
  }, body);
  const feed = $('alert-feed');
  feed.prepend(li);
  while (feed.children.length > MAX_ALERTS) feed.lastElementChild.remove();
  if (state.filter && v && !isVisible(v)) li.hidden = true;
  $('alert-empty').hidden = true;
}

// ---------------------------------------------------------------------------------------------
// Live stream (SSE)

function setConn(s, text) {
  const c = document.querySelector('[data-testid=connection-status]');
  c.dataset.state = s;
  c.querySelector('.conn-text').textContent = text ?? {
    offline: 'Offline', connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…',
  }[s];
}

function closeStream() {
  clearTimeout(state.streamTimer);
  state.stream?.close();
  state.stream = null;
  setConn('offline');
}

function connectStream() {
  closeStream();
  if (!signedIn()) return;
  const url = new URL(state.config.liveUrl, location.href);
  url.searchParams.set('access_token', state.client.accessToken);
  const es = new EventSource(url.toString());
  state.stream = es;
  setConn('connecting');
  es.onopen = () => {
    if (state.stream !== es) return;
    setConn('live');
    state.streamFailures = 0;
    if (state.everConnected) syncTasks(false); // catch up on what changed while we were away
    state.everConnected = true;
  };
  es.onmessage = (e) => onLiveData(e.data, null);
  for (const name of LIVE_EVENTS) es.addEventListener(name, (e) => onLiveData(e.data, name));
  es.onerror = () => {
    if (state.stream !== es) return;
    if (es.readyState === EventSource.CLOSED) {
      // refused (e.g. the token expired) or gone: fresh token, back off, connect again
      es.close();
      state.streamFailures++;
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(state.streamFailures - 1, 5));
      setConn('reconnecting', `Reconnecting in ${Math.round(delay / 1000)} s…`);
      state.streamTimer = setTimeout(async () => {
        if (!signedIn()) return;
        if (state.client.expiresInMs < 120_000 || state.streamFailures > 1) await state.client.refresh();
        if (signedIn()) connectStream();
      }, delay);
    } else {
      setConn('reconnecting'); // the browser retries by itself
    }
  };
}

function onLiveData(data, name) {
  let msg;
  try {
    msg = JSON.parse(data);
  } catch {
    return;
  }
  const type = msg.event ?? msg.type ?? name;
  const taskId = msg.taskId;
  if (!taskId) return;
  switch (type) {
    case 'task_snapshot':
      ensureTask(taskId).then((v) => {
        if (!v) return;
        if (msg.status) v.status = msg.status;
        if (msg.riderId) v.riderId = msg.riderId;
        // { taskId, riderId, lastFix: {ts, lat, lon, …}, progress: {…} when the route is tracked }
        const fix = msg.lastFix ?? (isNum(msg.lat) ? msg : null);
        const p = msg.progress ?? (isNum(msg.percent) ? msg : null);
        if (fix) applyFix(v, fix);
        if (p) applyProgress(v, p);
        renderTask(v);
        fitIfFirst();
      });
      break;
    case 'fix':
      ensureTask(taskId).then((v) => v && (applyFix(v, msg), renderTask(v)));
      break;
    case 'progress':
      ensureTask(taskId).then((v) => v && applyProgress(v, msg));
      break;
    case 'alert':
      ensureTask(taskId).then((v) => {
        if (v) {
          if (msg.type === 'off_route') v.offRoute = true;
          if (msg.type === 'back_on_route') v.offRoute = false;
          if (msg.type === 'stopped') v.stopped = true;
          if (msg.type === 'moving') v.stopped = false;
          if (msg.type === 'arrived') v.arrived = true;
          renderTask(v);
          placeMarker(v);
        }
        addAlert(msg);
      });
      break;
    case 'task_status': {
      const label = STATUS_LABELS[msg.status] ?? msg.status;
      if (msg.status === 'in_progress') {
        ensureTask(taskId).then((v) => {
          if (!v) return;
          v.status = 'in_progress';
          renderTask(v);
          fitIfFirst();
          addAlert({ type: 'status', taskId, riderId: msg.riderId, ts: Date.parse(msg.at) || Date.now(), message: `Task ${label.toLowerCase()}` });
        });
      } else {
        addAlert({ type: 'status', taskId, riderId: msg.riderId, ts: Date.parse(msg.at) || Date.now(), message: `Task ${label.toLowerCase()}` });
        if (msg.status === 'completed') {
          api(`/tasks/${encodeURIComponent(taskId)}`).then((t) => setStatus(taskId, t.status, t)).catch(() => setStatus(taskId, msg.status));
        } else {
          setStatus(taskId, msg.status);
        }
      }
      break;
    }
    default:
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Playback of a finished task's track

async function loadFinishedTasks() {
  try {
    const page = await api('/tasks?status=completed&limit=50');
    // newest first in the list: each one added goes to the top, so add the oldest first
    for (const t of [...(page?.items ?? [])].reverse()) addFinished(t);
  } catch {
    // playback list stays with what the live stream reports
  }
}

function resetPlaybackOptions() {
  const sel = $('playback-select');
  sel.replaceChildren(h('option', { value: '' }, 'Choose a finished task…'));
}

function addFinished(task) {
  if (!task?.id || state.finished.has(task.id)) return;
  state.finished.set(task.id, task);
  const sel = $('playback-select');
  const when = task.completedAt ? new Date(task.completedAt).toLocaleString('en-GB', {
    day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit',
  }) : '';
  const opt = h('option', { value: task.id, 'data-testid': 'playback-option' },
    `${task.title}${when ? ` — ${when}` : ''} (${riderName(task.claimedBy)})`);
  // newest first, after the placeholder
  sel.insertBefore(opt, sel.options[1] ?? null);
}

async function selectPlayback(taskId) {
  stopPlayback();
  if (!taskId) return;
  const task = state.finished.get(taskId);
  const note = $('map-note');
  note.textContent = 'Loading the track…';
  try {
    const [route, fixes, full] = await Promise.all([
      loadRoute(task.routeId),
      allPages(`/tasks/${encodeURIComponent(taskId)}/track?limit=1000`, 'fixes', 50),
      api(`/tasks/${encodeURIComponent(taskId)}`).catch(() => null),
    ]);
    if ($('playback-select').value !== taskId) return; // another task was chosen meanwhile
    if (!fixes.length) {
      note.textContent = `No fixes were recorded for ${task.title}.`;
      return;
    }
    const completeness = full?.trackCompleteness ?? null;
    state.playback = { taskId, task, route, fixes, completeness, index: 0, timer: null };
    showPlaybackProblems(completeness);
    const slider = $('playback-slider');
    slider.max = String(fixes.length - 1);
    slider.value = '0';
    slider.disabled = false;
    $('playback-play').disabled = false;
    $('playback-close').disabled = false;
    note.textContent = `Playback: ${task.title}, ${fixes.length} fixes, ${clock(fixes[0].ts)}–${clock(fixes[fixes.length - 1].ts)}.`;
    drawPlayback();
    state.map.fitBounds(state.playback.trackLine.getBounds(), { padding: [40, 40], maxZoom: 17 });
    showPlaybackAt(0);
  } catch (e) {
    note.textContent = `Could not load the track: ${e.message}`;
  }
}

function drawPlayback() {
  const pb = state.playback;
  state.layers.playback.clearLayers();
  const routePts = routeLatLngs(pb.route);
  if (routePts.length > 1) L.polyline(routePts, { color: '#94a3b8', weight: 5, opacity: 0.7, interactive: false }).addTo(state.layers.playback);
  const pts = pb.fixes.map((f) => disp(f.lat, f.lon));
  pb.trackLine = L.polyline(pts, { color: '#0f172a', weight: 3, dashArray: '6 6' }).addTo(state.layers.playback);
  pb.doneLine = L.polyline([], { color: '#7c3aed', weight: 4 }).addTo(state.layers.playback);
  // the track's holes: a gap (nothing recorded) in red, a late burst (recorded offline) in amber
  const marks = markedStretches(pb.fixes, pb.completeness);
  for (const m of marks.late) {
    L.polyline(pts.slice(m.from, m.to + 1), { color: '#d97706', weight: 7, opacity: 0.6, className: 'track-late' })
      .bindTooltip(h('span', { text: problemLines({ lateBursts: [m.burst] })[0] }), { sticky: true })
      .addTo(state.layers.playback);
  }
  for (const m of marks.gaps) {
    L.polyline([pts[m.from], pts[m.to]], { color: '#dc2626', weight: 6, dashArray: '2 8', className: 'track-gap' })
      .bindTooltip(h('span', { text: problemLines({ gaps: [m.gap] })[0] }), { sticky: true })
      .addTo(state.layers.playback);
  }
  const dot = h('span', { class: 'rider-dot is-playback' }, '▶');
  pb.marker = L.marker(pts[0], {
    icon: L.divIcon({ className: 'rider-icon', html: dot, iconSize: [30, 30], iconAnchor: [15, 15] }),
    title: `Playback: ${pb.task.title}`, keyboard: false,
  }).addTo(state.layers.playback);
  showPlaybackAt(pb.index);
}

function showPlaybackAt(i) {
  const pb = state.playback;
  if (!pb) return;
  pb.index = clamp(i, 0, pb.fixes.length - 1);
  const f = pb.fixes[pb.index];
  const pts = pb.fixes.slice(0, pb.index + 1).map((x) => disp(x.lat, x.lon));
  pb.marker?.setLatLng(pts[pts.length - 1]);
  pb.doneLine?.setLatLngs(pts);
  const slider = $('playback-slider');
  slider.value = String(pb.index);
  const text = `${clock(f.ts)} · ${pb.index + 1}/${pb.fixes.length}`;
  slider.setAttribute('aria-valuetext', text);
  $('playback-time').textContent = text;
}

function togglePlay() {
  const pb = state.playback;
  if (!pb) return;
  if (pb.timer) {
    pausePlayback();
    return;
  }
  if (pb.index >= pb.fixes.length - 1) showPlaybackAt(0);
  const stepMs = 100;
  let simTs = pb.fixes[pb.index].ts;
  pb.timer = setInterval(() => {
    simTs += stepMs * Number($('playback-speed').value);
    let i = pb.index;
    while (i < pb.fixes.length - 1 && pb.fixes[i + 1].ts <= simTs) i++;
    showPlaybackAt(i);
    if (i >= pb.fixes.length - 1) pausePlayback();
  }, stepMs);
  $('playback-play').textContent = 'Pause';
  $('playback-play').setAttribute('aria-pressed', 'true');
}

function pausePlayback() {
  const pb = state.playback;
  if (pb?.timer) clearInterval(pb.timer);
  if (pb) pb.timer = null;
  $('playback-play').textContent = 'Play';
  $('playback-play').setAttribute('aria-pressed', 'false');
}

/** Under the playback bar: the played task's completeness score and its gaps and late bursts. */
function showPlaybackProblems(c) {
  const box = $('playback-track');
  if (!c) {
    box.replaceChildren();
    box.hidden = true;
    return;
  }
  box.replaceChildren(
    h('strong', { text: scoreLine(c) }),
    ...problemLines(c).map((t) => h('span', { class: 'playback-problem', text: t })));
  box.classList.toggle('has-problems', hasProblems(c));
  box.hidden = false;
}

function stopPlayback({ clearSelection = false } = {}) {
  pausePlayback();
  state.playback = null;
  state.layers?.playback.clearLayers();
  const slider = $('playback-slider');
  slider.value = '0';
  slider.max = '0';
  slider.disabled = true;
  $('playback-play').disabled = true;
  $('playback-close').disabled = true;
  $('playback-time').textContent = '--:--:--';
  showPlaybackProblems(null);
  if (clearSelection) $('playback-select').value = '';
}

// ---------------------------------------------------------------------------------------------

function showNote(text) {
  $('map-note').textContent = text;
}

/** What the note over the map says when nothing else needs saying. */
function baseNote() {
  return state.hasTiles ? '' : 'No basemap configured: routes, checkpoints and riders only.';
}

async function main() {
  $('login-form').addEventListener('submit', onLogin);
  state.receipts = new ReceiptsView({
    root: $('receipts-view'), toggle: $('receipts-toggle'), board: $('board'), api, signedIn,
  });
  state.reports = new ReportsView({
    root: $('reports-view'), toggle: $('reports-toggle'), board: $('board'), api, signedIn,
    beforeOpen: () => state.receipts?.close(),
  });
  // opening Receipts hides Reports (its own listener, registered first, has already hidden the board)
  $('receipts-toggle').addEventListener('click', () => state.reports.hide());
  $('logout').addEventListener('click', () => signOut());
  $('task-filter').addEventListener('input', applyFilter);
  $('alerts-clear').addEventListener('click', () => {
    $('alert-feed').replaceChildren();
    $('alert-empty').hidden = false;
  });
  $('gcj02').addEventListener('change', (e) => {
    state.gcj = e.target.checked;
    redrawAll();
  });
  $('playback-select').addEventListener('change', (e) => selectPlayback(e.target.value));
  $('playback-play').addEventListener('click', togglePlay);
  $('playback-close').addEventListener('click', () => {
    stopPlayback({ clearSelection: true });
    showNote(baseNote());
  });
  $('playback-slider').addEventListener('input', (e) => {
    pausePlayback();
    showPlaybackAt(Number(e.target.value));
  });
  try {
    state.config = await loadConfig();
  } catch (e) {
    $('login-error').textContent = `The dashboard configuration could not be loaded (${e.message}).`;
    return;
  }
  state.client = new ApiClient(state.config, { onSessionEnded: (message) => signOut(message) });
  const gcjParam = new URLSearchParams(location.search).get('gcj02');
  if (gcjParam === '1' || gcjParam === 'true' || state.config.gcj02 === true) {
    state.gcj = true;
    $('gcj02').checked = true;
  }
  document.body.dataset.ready = 'true';
  $('login-username').focus();
}

main();
