// Tracklane admin console: plain ES modules, Leaflet from the webjar, no build step, no tile layer
// unless config.json names one. Sign in (admins only) → route designer, task publishing, the task
// board (live from the gateway's stream) and users. Every user-typed string is put on the page as
// text (h() builds text nodes; Leaflet tooltips get DOM nodes), never as HTML.

import * as L from '../vendor/leaflet/leaflet-src.esm.js';
import { wgs84ToGcj02 } from '../shared/gcj02.js';
import { gcjToWgs } from './gcj-inverse.js';
import { loadConfig } from '../shared/api.js';
import { $ } from '../shared/dom.js';
import { Backend } from './backend.js';
import { Designer } from './designer.js';
import { Publisher } from './publish.js';
import { Board } from './board.js';
import { Users } from './users.js';

/** What the views share: the API, the map, the display datum and who is who. */
class App {
  constructor(config) {
    this.config = config;
    this.backend = new Backend(config, (message) => {
      // the refresh was refused: back to the sign-in form (the tokens are already forgotten)
      sessionStorage.setItem('tracklane.admin.ended', message);
      location.reload();
    });
    this.map = null;
    this.gcj = false;
    this.userNames = new Map();
    this.listeners = { gcj: [], routes: [], tasks: [] };
  }

  /** Display position of a stored WGS-84 position: GCJ-02 when the Chinese-basemap display is on. */
  disp(lat, lon) {
    return this.gcj ? wgs84ToGcj02(lat, lon) : [lat, lon];
  }

  /** Stored (WGS-84) position of a position picked on the map. */
  fromDisp(latlng) {
    const [lat, lon] = this.gcj ? gcjToWgs(latlng.lat, latlng.lng) : [latlng.lat, latlng.lng];
    return { lat, lon };
  }

  on(what, fn) {
    this.listeners[what].push(fn);
  }

  emit(what, arg) {
    for (const fn of this.listeners[what]) fn(arg);
  }

  userName(id) {
    if (!id) return '';
    return this.userNames.get(id) ?? `user ${String(id).slice(0, 8)}`;
  }

  async loadUsers() {
    const users = await this.backend.users();
    this.userNames.clear();
    for (const u of users) this.userNames.set(u.id, u.displayName ? `${u.displayName} (${u.username})` : u.username);
    return users;
  }

  ensureMap() {
    if (this.map) return;
    const map = L.map('map', { zoomControl: true, keyboard: true, doubleClickZoom: false }).setView([31.2304, 121.4737], 15);
    map.attributionControl.setPrefix('Leaflet');
    L.control.scale({ imperial: false }).addTo(map);
    const tileUrl = this.config.tileUrl;
    if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 19, attribution: this.config.tileAttribution ?? '' }).addTo(map);
    $('map-note').textContent = tileUrl ? '' : 'No basemap configured: the map shows your routes only.';
    this.map = map;
    // For the browser test and the console: the map, to turn screen points into positions.
    window.tracklaneAdmin = { map, L };
  }
}

function showView(app, views, name) {
  for (const b of document.querySelectorAll('.tab')) b.setAttribute('aria-pressed', String(b.dataset.view === name));
  for (const v of ['designer', 'publish', 'board', 'users']) $(`view-${v}`).hidden = v !== name;
  const mapped = name === 'designer' || name === 'publish';
  $('side').hidden = !mapped;
  $('map-area').hidden = !mapped;
  if (mapped) app.map.invalidateSize();
  for (const [key, view] of Object.entries(views)) if (key !== name) view.hidden?.();
  views[name]?.shown?.();
}

async function main() {
  const config = await loadConfig();
  const app = new App(config);
  const ended = sessionStorage.getItem('tracklane.admin.ended');
  if (ended) {
    sessionStorage.removeItem('tracklane.admin.ended');
    $('login-error').textContent = ended;
  }
  const views = {};

  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const username = $('login-username').value.trim();
    const password = $('login-password').value;
    const error = $('login-error');
    error.textContent = '';
    if (!username || !password) {
      error.textContent = 'Enter your username and password.';
      return;
    }
    try {
      const user = await app.backend.login(username, password);
      if (user?.role !== 'admin') {
        app.backend.logout();
        error.textContent = `The admin console is for admins; ${username} is a ${user?.role}.`;
        return;
      }
      $('login-password').value = '';
      $('who').textContent = `${user.displayName ?? user.username} (admin)`;
      $('login-view').hidden = true;
      $('workspace').hidden = false;
      $('tabs').hidden = false;
      $('session-tools').hidden = false;
      app.ensureMap();
      await app.loadUsers();
      views.designer ??= new Designer(app);
      views.publish ??= new Publisher(app);
      views.board ??= new Board(app);
      views.users ??= new Users(app);
      await Promise.all([views.designer.start(), views.board.start()]);
      showView(app, views, 'designer');
      document.body.dataset.signedIn = 'true';
    } catch (err) {
      error.textContent = err.status === 401 ? 'Wrong username or password.' : err.message;
    }
  });

  for (const b of document.querySelectorAll('.tab')) b.addEventListener('click', () => showView(app, views, b.dataset.view));
  $('logout').addEventListener('click', () => {
    app.backend.logout();
    location.reload();
  });
  $('gcj02').addEventListener('change', (e) => {
    app.gcj = e.target.checked;
    app.emit('gcj');
  });
  $('login-username').focus();
}

main().catch((e) => {
  document.getElementById('login-error').textContent = `The console could not start: ${e.message}`;
});
