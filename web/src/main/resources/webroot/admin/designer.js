// The route designer: click to add vertices, drag to move, right-click (or select + Delete) to
// remove, undo/redo, checkpoints with name, radius and order, the API's rules shown as you draw,
// import/export, and saving (a new version when a rider has the route; open tasks follow).
// Positions are kept in WGS-84 [lon, lat]; the map shows them through app.disp and every click or
// drag comes back through app.fromDisp (the GCJ-02 inverse when that display is on).

import * as L from '../vendor/leaflet/leaflet-src.esm.js';
import { $, h } from '../shared/dom.js';
import { alongLine, checkRoute, SAFE_RADIUS_M } from './route-rules.js';
import { parseRouteFile, toGeoJson, ImportError } from './geo-io.js';

const DEFAULT_RADIUS_M = 50;
const MAX_UNDO = 200;

function formatLength(m) {
  return m < 10_000 ? `${m.toFixed(1)} m` : `${(m / 1000).toFixed(2)} km`;
}

export class Designer {
  constructor(app) {
    this.app = app;
    this.routeId = null;
    this.version = null;
    this.coords = []; // [[lon, lat]] WGS-84
    this.checkpoints = []; // [{name, lat, lon, radiusM}]
    this.selected = null;
    this.undoStack = [];
    this.redoStack = [];
    this.apiErrors = [];
    this.apiWarnings = [];
    this.layer = L.layerGroup().addTo(app.map);
    $('safe-radius').textContent = String(Math.ceil(SAFE_RADIUS_M));

    app.map.on('click', (e) => this.onMapClick(e));
    app.on('gcj', () => this.renderMap());
    $('undo').addEventListener('click', () => this.undo());
    $('redo').addEventListener('click', () => this.redo());
    $('delete-vertex').addEventListener('click', () => this.selected !== null && this.deleteVertex(this.selected));
    $('clear-line').addEventListener('click', () => this.edit(() => {
      this.coords = [];
      this.checkpoints = [];
    }));
    $('sort-checkpoints').addEventListener('click', () => this.sortCheckpoints());
    $('route-name').addEventListener('input', () => this.renderChecks());
    $('route-pick').addEventListener('change', (e) => this.load(e.target.value));
    $('import-file').addEventListener('change', (e) => this.importFile(e.target));
    $('export').addEventListener('click', () => this.exportGeoJson());
    $('save-route').addEventListener('click', () => this.save());
    document.addEventListener('keydown', (e) => this.onKey(e));
  }

  async start() {
    await this.refreshRouteList();
    this.renderAll();
  }

  shown() {
    this.layer.addTo(this.app.map);
  }

  hidden() {
    this.layer.remove();
  }

  get mode() {
    return document.querySelector('input[name=mode]:checked')?.value ?? 'vertex';
  }

  // --- editing -------------------------------------------------------------------------------

  snapshot() {
    return JSON.stringify({ coords: this.coords, checkpoints: this.checkpoints });
  }

  restore(s) {
    const o = JSON.parse(s);
    this.coords = o.coords;
    this.checkpoints = o.checkpoints;
    this.selected = null;
  }

  /** Applies a change with an undo step and re-renders. */
  edit(change, { list = true } = {}) {
    this.undoStack.push(this.snapshot());
    if (this.undoStack.length > MAX_UNDO) this.undoStack.shift();
    this.redoStack = [];
    change();
    this.apiErrors = [];
    if (list) this.renderAll();
    else {
      this.renderMap();
      this.renderChecks();
    }
  }

  undo() {
    if (!this.undoStack.length) return;
    this.redoStack.push(this.snapshot());
    this.restore(this.undoStack.pop());
    this.renderAll();
  }

  redo() {
    if (!this.redoStack.length) return;
    this.undoStack.push(this.snapshot());
    this.restore(this.redoStack.pop());
    this.renderAll();
  }

  onMapClick(e) {
    if ($('view-designer').hidden) return;
    const { lat, lon } = this.app.fromDisp(e.latlng);
    if (this.mode === 'checkpoint') {
      this.edit(() => this.checkpoints.push({ name: `Checkpoint ${this.checkpoints.length + 1}`, lat, lon, radiusM: DEFAULT_RADIUS_M }));
    } else {
      this.edit(() => {
        this.coords.push([lon, lat]);
        this.selected = this.coords.length - 1;
      });
    }
  }

  deleteVertex(i) {
    this.edit(() => {
      this.coords.splice(i, 1);
      this.selected = null;
    });
  }

  onKey(e) {
    if ($('view-designer').hidden || $('workspace').hidden) return;
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);
    if ((e.ctrlKey || e.metaKey) && !typing && e.key.toLowerCase() === 'z') {
      e.preventDefault();
      if (e.shiftKey) this.redo();
      else this.undo();
    } else if ((e.ctrlKey || e.metaKey) && !typing && e.key.toLowerCase() === 'y') {
      e.preventDefault();
      this.redo();
    }
  }

  sortCheckpoints() {
    this.edit(() => {
      const along = this.checkpoints.map((c) => alongLine(this.coords, c) ?? 0);
      const order = this.checkpoints.map((c, i) => i).sort((a, b) => along[a] - along[b]);
      this.checkpoints = order.map((i) => this.checkpoints[i]);
    });
  }

  moveCheckpoint(i, by) {
    const j = i + by;
    if (j < 0 || j >= this.checkpoints.length) return;
    this.edit(() => {
      [this.checkpoints[i], this.checkpoints[j]] = [this.checkpoints[j], this.checkpoints[i]];
    });
    $(`cp-name-${j}`)?.focus();
  }

  // --- rendering -----------------------------------------------------------------------------

  renderAll() {
    this.renderMap();
    this.renderList();
    this.renderChecks();
  }

  renderMap() {
    const app = this.app;
    this.layer.clearLayers();
    const bad = new Set(this.problems().errors
      .map((e) => /^geometry\.coordinates\[(\d+)\]$/.exec(e.field)?.[1])
      .filter((x) => x !== undefined)
      .map(Number));
    if (this.coords.length > 1) {
      L.polyline(this.coords.map(([lon, lat]) => app.disp(lat, lon)), { color: '#1d4ed8', weight: 4, interactive: false }).addTo(this.layer);
    }
    this.coords.forEach(([lon, lat], i) => {
      const cls = `vertex-icon${i === this.selected ? ' selected' : ''}${bad.has(i) ? ' bad' : ''}`;
      const m = L.marker(app.disp(lat, lon), {
        draggable: true,
        keyboard: true,
        title: `Vertex ${i + 1}`,
        alt: `Vertex ${i + 1}`,
        icon: L.divIcon({ className: cls, iconSize: [14, 14] }),
      }).addTo(this.layer);
      m.on('click', () => {
        this.selected = i;
        this.renderMap();
      });
      m.on('contextmenu', (e) => {
        L.DomEvent.preventDefault(e.originalEvent);
        this.deleteVertex(i);
      });
      m.on('dragend', () => {
        const p = app.fromDisp(m.getLatLng());
        this.edit(() => {
          this.coords[i] = [p.lon, p.lat];
          this.selected = i;
        });
      });
      m.on('keydown', (e) => {
        if (e.originalEvent.key === 'Delete' || e.originalEvent.key === 'Backspace') this.deleteVertex(i);
      });
      const el = m.getElement();
      if (el) {
        el.dataset.testid = 'vertex';
        el.dataset.index = String(i);
      }
    });
    this.checkpoints.forEach((c, i) => {
      if (!Number.isFinite(c.lat) || !Number.isFinite(c.lon)) return;
      const pos = app.disp(c.lat, c.lon);
      if (Number.isFinite(c.radiusM) && c.radiusM > 0) {
        L.circle(pos, { radius: c.radiusM, color: '#047857', weight: 1, fillOpacity: 0.1, interactive: false }).addTo(this.layer);
      }
      const m = L.marker(pos, {
        draggable: true,
        keyboard: true,
        title: `Checkpoint ${i + 1}`,
        icon: L.divIcon({ className: 'cp-icon', html: h('span', {}, String(i + 1)), iconSize: [18, 18] }),
      }).addTo(this.layer);
      // The name as a text node: a tooltip given a string would parse it as HTML.
      m.bindTooltip(h('span', { 'data-testid': 'cp-tooltip' }, c.name ?? ''), { permanent: false, direction: 'top' });
      m.on('dragend', () => {
        const p = app.fromDisp(m.getLatLng());
        this.edit(() => Object.assign(this.checkpoints[i], p), { list: false });
      });
      m.getElement()?.setAttribute('data-testid', 'checkpoint-marker');
    });
    $('vertex-count').textContent = `${this.coords.length} ${this.coords.length === 1 ? 'vertex' : 'vertices'}`;
  }

  renderList() {
    const list = $('checkpoint-list');
    list.replaceChildren(...this.checkpoints.map((c, i) => {
      const name = h('input', { id: `cp-name-${i}`, class: 'cp-name', 'data-testid': `cp-name-${i}`, maxlength: 100, 'aria-label': `Checkpoint ${i + 1} name` });
      name.value = c.name ?? '';
      name.addEventListener('focus', () => { name.dataset.before = this.snapshot(); });
      name.addEventListener('input', () => {
        c.name = name.value;
        this.renderMap();
        this.renderChecks();
      });
      name.addEventListener('change', () => this.commitField(name));
      const radius = h('input', { id: `cp-radius-${i}`, class: 'cp-radius', type: 'number', min: 5, max: 5000, step: 1, 'data-testid': `cp-radius-${i}`, 'aria-label': `Checkpoint ${i + 1} radius in metres` });
      radius.value = String(c.radiusM);
      radius.addEventListener('focus', () => { radius.dataset.before = this.snapshot(); });
      radius.addEventListener('input', () => {
        c.radiusM = radius.value === '' ? null : Number(radius.value);
        this.renderMap();
        this.renderChecks();
      });
      radius.addEventListener('change', () => this.commitField(radius));
      const up = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Move checkpoint ${i + 1} earlier` }, '↑');
      up.addEventListener('click', () => this.moveCheckpoint(i, -1));
      const down = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Move checkpoint ${i + 1} later` }, '↓');
      down.addEventListener('click', () => this.moveCheckpoint(i, 1));
      const del = h('button', { type: 'button', class: 'btn btn-small btn-danger', 'data-testid': `cp-delete-${i}`, 'aria-label': `Delete checkpoint ${i + 1}` }, 'Delete');
      del.addEventListener('click', () => this.edit(() => this.checkpoints.splice(i, 1)));
      return h('li', { 'data-testid': 'checkpoint' },
        h('div', { class: 'cp-row' }, name, h('span', {}, 'radius'), radius, h('span', {}, 'm'), up, down, del),
        h('p', { class: 'hint', 'data-along': String(i) }),
        h('p', { class: 'field-msg', 'data-for': `checkpoints[${i}]`, 'data-testid': `error-cp-${i}`, role: 'alert' }));
    }));
  }

  /** A text field's edit becomes one undo step when it is committed. */
  commitField(input) {
    const before = input.dataset.before;
    if (before && before !== this.snapshot()) {
      this.undoStack.push(before);
      this.redoStack = [];
      input.dataset.before = this.snapshot();
    }
  }

  problems() {
    return checkRoute({ name: $('route-name').value, coordinates: this.coords, checkpoints: this.checkpoints });
  }

  /** The rules' messages (and the API's, after a refused save) next to the field or vertex named. */
  renderChecks() {
    const { errors, warnings, lengthM } = this.problems();
    const out = $('route-length');
    out.textContent = formatLength(lengthM);
    out.dataset.lengthM = String(lengthM);
    const all = [...errors];
    for (const e of this.apiErrors) if (!all.some((x) => x.field === e.field && x.message === e.message)) all.push(e);
    const byField = new Map();
    const add = (field, message, warn) => {
      if (!byField.has(field)) byField.set(field, []);
      byField.get(field).push({ message, warn });
    };
    all.forEach((e) => add(e.field, e.message, false));
    [...warnings, ...this.apiWarnings].forEach((w) => add(w.field, w.message, true));

    for (const el of document.querySelectorAll('#view-designer .field-msg[data-for]')) {
      const field = el.dataset.for;
      const lines = [];
      for (const [f, msgs] of byField) {
        if (f === field || (field.startsWith('checkpoints[') && f.startsWith(`${field}.`))) {
          for (const m of msgs) lines.push(`${f === field ? '' : `${f.slice(field.length + 1)} `}${m.message}`);
        }
      }
      el.textContent = lines.join('\n');
      const fromApi = this.apiErrors.some((e) => e.field === field || e.field.startsWith(`${field}.`));
      if (fromApi) el.dataset.api = 'true';
      else delete el.dataset.api;
      el.classList.toggle('warn', lines.length > 0 && !(byField.get(field) ?? []).some((m) => !m.warn)
        && ![...byField].some(([f, ms]) => f.startsWith(`${field}.`) && ms.some((m) => !m.warn)));
    }
    $('view-designer').querySelector('[data-field=name]').classList.toggle('invalid', byField.has('name'));
    const vertexErrors = [...byField].filter(([f]) => /^geometry\.coordinates\[\d+\]$/.test(f));
    $('vertex-errors').replaceChildren(...vertexErrors.flatMap(([f, msgs]) => msgs.map((m) => {
      const i = Number(/\[(\d+)\]/.exec(f)[1]);
      return h('li', { 'data-field': f, 'data-api': this.apiErrors.some((e) => e.field === f) ? 'true' : null }, `Vertex ${i + 1}: ${m.message}`);
    })));
    for (const el of document.querySelectorAll('[data-along]')) {
      const c = this.checkpoints[Number(el.dataset.along)];
      const along = c ? alongLine(this.coords, c) : null;
      el.textContent = along === null ? '' : `${Math.round(along)} m along the line`;
    }
    $('route-title').textContent = $('route-name').value;
    $('undo').disabled = this.undoStack.length === 0;
    $('redo').disabled = this.redoStack.length === 0;
    $('delete-vertex').disabled = this.selected === null;
  }

  // --- routes on the server ------------------------------------------------------------------

  async refreshRouteList() {
    const routes = await this.app.backend.routes();
    this.app.routes = routes;
    const pick = $('route-pick');
    pick.replaceChildren(h('option', { value: '' }, 'New route…'),
      ...routes.map((r) => h('option', { value: r.id }, `${r.name} (v${r.version}, ${formatLength(r.lengthM)})`)));
    pick.value = this.routeId ?? '';
    this.app.emit('routes', routes);
  }

  async load(id) {
    this.undoStack = [];
    this.redoStack = [];
    this.apiErrors = [];
    this.apiWarnings = [];
    $('save-result').textContent = '';
    delete $('save-result').dataset.routeId;
    if (!id) {
      this.routeId = null;
      this.coords = [];
      this.checkpoints = [];
      $('route-name').value = '';
      $('moves').textContent = '';
      this.renderAll();
      return;
    }
    const r = await this.app.backend.route(id);
    this.routeId = r.id;
    this.version = r.version;
    this.coords = r.geometry.coordinates.map((c) => [c[0], c[1]]);
    this.checkpoints = r.checkpoints.map((c) => ({ ...c }));
    $('route-name').value = r.name;
    this.renderAll();
    this.fit();
    await this.showOpenTasks('Open tasks on this route follow a saved edit:');
  }

  async openTasksOn(routeId) {
    return (await this.app.backend.tasks('open')).filter((t) => t.routeId === routeId);
  }

  async showOpenTasks(lead) {
    const tasks = this.routeId ? await this.openTasksOn(this.routeId) : [];
    $('moves').replaceChildren(...(tasks.length === 0 ? [] : [h('p', {}, lead),
      h('ul', { 'data-testid': 'moving-tasks' }, ...tasks.map((t) => h('li', {}, t.title)))]));
  }

  fit() {
    if (this.coords.length === 0) return;
    const b = L.latLngBounds(this.coords.map(([lon, lat]) => this.app.disp(lat, lon)));
    this.app.map.fitBounds(b, { padding: [40, 40], maxZoom: 18 });
  }

  async save() {
    const result = $('save-result');
    result.className = 'result';
    result.textContent = '';
    // The API judges even when the rules above already object: its answer is the authority, and
    // its errors are shown next to the fields and vertices they name.
    const body = {
      name: $('route-name').value,
      geometry: { type: 'LineString', coordinates: this.coords },
      checkpoints: this.checkpoints,
    };
    const backend = this.app.backend;
    try {
      const editing = this.routeId;
      const saved = editing ? await backend.updateRoute(editing, body) : await backend.createRoute(body);
      this.routeId = saved.id;
      this.version = saved.version;
      this.apiErrors = [];
      this.apiWarnings = saved.warnings ?? [];
      result.dataset.routeId = saved.id;
      if (!editing) {
        result.textContent = `Saved "${saved.name}" (version ${saved.version}, ${formatLength(saved.lengthM)}).`;
        $('moves').textContent = '';
      } else if (saved.supersedes) {
        result.textContent = `A rider has version ${this.version - 1}, so this is saved as version ${saved.version}; the rider keeps the old one.`;
        await this.showOpenTasks(`Open tasks moved to version ${saved.version}:`);
      } else {
        result.textContent = `Saved in place (version ${saved.version}): no rider has this route yet.`;
        await this.showOpenTasks('Open tasks on this route ride the edited line:');
      }
      await this.refreshRouteList();
      this.app.emit('tasks');
    } catch (e) {
      result.className = 'result error';
      result.textContent = `Not saved: ${e.message}`;
      this.apiErrors = e.errors ?? [];
    }
    this.renderAll();
  }

  // --- files ---------------------------------------------------------------------------------

  async importFile(input) {
    const file = input.files?.[0];
    const msg = $('import-msg');
    msg.className = 'field-msg';
    if (!file) return;
    try {
      const route = parseRouteFile(file.name, await file.text());
      this.edit(() => {
        this.coords = route.coordinates;
        this.checkpoints = route.checkpoints;
      });
      if (!$('route-name').value && route.name) $('route-name').value = route.name;
      this.renderChecks();
      this.fit();
      msg.classList.add('warn');
      msg.textContent = `Imported ${route.coordinates.length} points and ${route.checkpoints.length} checkpoints from ${file.name}.`;
    } catch (e) {
      msg.textContent = e instanceof ImportError ? `${file.name}: ${e.message}` : `${file.name} could not be read: ${e.message}`;
    } finally {
      input.value = '';
    }
  }

  exportGeoJson() {
    const json = JSON.stringify(toGeoJson({ name: $('route-name').value, coordinates: this.coords, checkpoints: this.checkpoints }), null, 2);
    const url = URL.createObjectURL(new Blob([json], { type: 'application/geo+json' }));
    const a = h('a', { href: url, download: `${($('route-name').value || 'route').replace(/[^\w.-]+/g, '_')}.geojson` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
