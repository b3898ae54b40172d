// Task publishing: a route (previewed on the map), title, bonus and currency, the time window and
// how many identical tasks to publish at once. The API's field errors appear next to their fields.

import * as L from '../vendor/leaflet/leaflet-src.esm.js';
import { $, h } from '../shared/dom.js';

export const MAX_COUNT = 50;

function localInput(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export class Publisher {
  constructor(app) {
    this.app = app;
    this.preview = L.layerGroup();
    this.route = null;
    app.on('routes', (routes) => this.fillRoutes(routes));
    app.on('gcj', () => this.drawPreview());
    $('pub-route').addEventListener('change', () => this.loadPreview());
    $('publish-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.publish();
    });
    this.fillRoutes(app.routes ?? []);
  }

  shown() {
    this.preview.addTo(this.app.map);
    if (!$('pub-start').value) {
      const now = new Date();
      $('pub-start').value = localInput(now);
      $('pub-end').value = localInput(new Date(now.getTime() + 24 * 3600_000));
    }
    this.loadPreview();
  }

  hidden() {
    this.preview.remove();
  }

  fillRoutes(routes) {
    const pick = $('pub-route');
    const current = pick.value;
    pick.replaceChildren(h('option', { value: '' }, 'Choose a route…'),
      ...routes.map((r) => h('option', { value: r.id }, `${r.name} (v${r.version})`)));
    if (routes.some((r) => r.id === current)) pick.value = current;
  }

  async loadPreview() {
    const id = $('pub-route').value;
    this.route = id ? await this.app.backend.route(id) : null;
    this.drawPreview();
  }

  drawPreview() {
    this.preview.clearLayers();
    if (!this.route || $('view-publish').hidden) return;
    const app = this.app;
    const pts = this.route.geometry.coordinates.map(([lon, lat]) => app.disp(lat, lon));
    const line = L.polyline(pts, { color: '#7c3aed', weight: 5, interactive: true }).addTo(this.preview);
    line.bindTooltip(h('span', { 'data-testid': 'preview-tooltip' }, this.route.name), { sticky: true });
    for (const c of this.route.checkpoints) {
      L.circleMarker(app.disp(c.lat, c.lon), { radius: 6, color: '#047857' })
        .bindTooltip(h('span', {}, c.name)).addTo(this.preview);
    }
    app.map.fitBounds(L.latLngBounds(pts), { padding: [40, 40], maxZoom: 18 });
  }

  showErrors(errors) {
    for (const el of document.querySelectorAll('#publish-form .field-msg')) el.textContent = '';
    for (const f of document.querySelectorAll('#publish-form .field')) f.classList.remove('invalid');
    for (const e of errors) {
      const el = document.querySelector(`#publish-form .field-msg[data-for="${CSS.escape(e.field)}"]`);
      if (el) {
        el.textContent = el.textContent ? `${el.textContent}\n${e.message}` : e.message;
        el.closest('.field').classList.add('invalid');
      }
    }
  }

  async publish() {
    const result = $('pub-result');
    result.className = 'result';
    result.textContent = '';
    const count = Number($('pub-count').value);
    const errors = [];
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) errors.push({ field: 'count', message: `must be a whole number from 1 to ${MAX_COUNT}` });
    const when = (id, field) => {
      const v = $(id).value;
      if (!v) {
        errors.push({ field, message: 'is required' });
        return null;
      }
      return new Date(v).toISOString();
    };
    const windowStart = when('pub-start', 'windowStart');
    const windowEnd = when('pub-end', 'windowEnd');
    if (!$('pub-route').value) errors.push({ field: 'routeId', message: 'choose a route' });
    this.showErrors(errors);
    if (errors.length) return;
    const body = {
      routeId: $('pub-route').value,
      title: $('pub-title').value,
      bonusAmount: $('pub-bonus').value.trim(),
      bonusCurrency: $('pub-currency').value.trim().toUpperCase(),
      windowStart,
      windowEnd,
    };
    const created = [];
    try {
      for (let i = 0; i < count; i++) created.push(await this.app.backend.createTask(body));
      result.textContent = `Published ${created.length} task${created.length === 1 ? '' : 's'}: "${body.title}", ${body.bonusAmount} ${body.bonusCurrency} each.`;
      result.dataset.taskIds = created.map((t) => t.id).join(',');
    } catch (e) {
      this.showErrors(e.errors ?? []);
      result.className = 'result error';
      result.textContent = `${created.length ? `Published ${created.length}, then stopped: ` : 'Not published: '}${e.message}`;
    }
    if (created.length) this.app.emit('tasks');
  }
}
