// The rider's phone apps (OwnTracks, Traccar Client): add a phone, which shows its key and ready
// setup once (the API never shows a key again), list the phones, revoke one. Every value from the
// API reaches the page as text (h()); the OwnTracks link is an owntracks: URL the API built.

import { $, clear, h } from '../shared/dom.js';
import { ApiError } from '../shared/api.js';
import { t } from './i18n.js';

export class DevicesView {
  /**
   * @param api the signed-in ApiClient
   * @param formatTime ISO-8601 → short local time
   */
  constructor(api, formatTime) {
    this.api = api;
    this.formatTime = formatTime;
    this.devices = [];
    this.maxDevices = null;
    this.setup = null; // the 201 answer of the phone just added, until "Done" (or sign-out)
    this.confirming = null; // deviceId whose revocation awaits a second click
    $('device-form').addEventListener('submit', (e) => this.create(e));
  }

  /** Forgets everything shown (sign-out): the key of a just-added phone included. */
  reset() {
    this.devices = [];
    this.setup = null;
    this.confirming = null;
    clear($('device-setup')).hidden = true;
    clear($('device-list'));
    $('device-result').hidden = true;
  }

  async load() {
    try {
      const page = await this.api.request('/riders/me/devices');
      this.devices = page?.devices ?? [];
      this.maxDevices = page?.maxDevices ?? null;
    } catch (e) {
      this.banner('error', e.message);
    }
    this.render();
  }

  /** Re-renders in the current language. */
  render() {
    this.renderSetup();
    this.renderList();
  }

  async create(event) {
    event.preventDefault();
    const input = $('device-name');
    const error = $('device-error');
    const button = event.target.querySelector('[data-testid="device-create"]');
    error.textContent = '';
    const name = input.value.trim();
    if (!name) {
      error.textContent = t('deviceNameRequired');
      input.focus();
      return;
    }
    button.disabled = true;
    button.textContent = t('deviceCreating');
    try {
      this.setup = await this.api.request('/riders/me/devices', { method: 'POST', body: { name } });
      input.value = '';
      await this.load();
      $('device-setup').focus();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'device_limit') {
        error.textContent = t('deviceLimit', { max: this.maxDevices ?? '?' });
      } else {
        const named = e instanceof ApiError ? e.errorsFor('name').map((x) => x.message).join('; ') : '';
        error.textContent = t('deviceFailed', { message: named ? `${t('deviceName')} ${named}` : e.message });
      }
    } finally {
      button.disabled = false;
      button.textContent = t('deviceCreate');
    }
  }

  renderSetup() {
    const box = clear($('device-setup'));
    const s = this.setup;
    box.hidden = !s;
    if (!s) return;
    const ot = s.setup.owntracks;
    const c = ot.configuration;
    const tc = s.setup.traccarClient;
    const row = (label, value, testid) => [h('dt', {}, label), h('dd', {}, h('code', { dataset: { testid } }, String(value)))];
    const copy = (value, testid) => h('button', {
      type: 'button', class: 'btn btn-small', dataset: { testid },
      onclick: async (e) => {
        try {
          await navigator.clipboard.writeText(value);
          e.target.textContent = t('copied');
        } catch {
          // no clipboard permission: the value is selectable (user-select: all)
        }
      },
    }, t('copy'));
    const ownTracksRows = ot.mode === 'http'
      ? [row(t('owntracksMode'), 'HTTP', 'owntracks-mode'), row(t('owntracksUrl'), c.url, 'owntracks-url')]
      : [
        row(t('owntracksMode'), 'MQTT', 'owntracks-mode'),
        row(t('owntracksHost'), c.host, 'owntracks-host'),
        row(t('owntracksPort'), c.port, 'owntracks-port'),
        row(t('owntracksTls'), t(c.tls ? 'yes' : 'no'), 'owntracks-tls'),
      ];
    box.append(
      h('h2', {}, t('deviceSetupTitle', { name: s.name })),
      h('p', { class: 'warn', role: 'alert' }, t('deviceKeyOnce')),
      h('h3', {}, t('deviceKey')),
      h('code', { class: 'key', dataset: { testid: 'device-key' } }, s.key),
      h('span', {}, copy(s.key, 'copy-key')),
      h('h3', {}, t('owntracksTitle')),
      h('p', { class: 'hint' }, t('owntracksOpenHint')),
      h('a', { class: 'btn btn-primary', href: ot.configurationUrl, dataset: { testid: 'owntracks-link' } }, t('owntracksOpen')),
      h('dl', {},
        ownTracksRows,
        row(t('owntracksUser'), c.username, 'owntracks-user'),
        row(t('owntracksDevice'), c.deviceId, 'owntracks-device'),
        [h('dt', {}, t('owntracksPassword')), h('dd', {}, t('owntracksPasswordIsKey'))]),
      h('p', { class: 'hint' }, t('owntracksMonitoring')),
      h('details', {},
        h('summary', {}, t('owntracksJson')),
        h('pre', { dataset: { testid: 'owntracks-json' } }, JSON.stringify(c, null, 2))),
      h('h3', {}, t('traccarTitle')),
      h('dl', {},
        row(t('traccarServer'), tc.serverUrl, 'traccar-url'),
        [h('dt', {}, t('traccarDevice')), h('dd', {}, t('owntracksPasswordIsKey'))],
        [h('dt', {}, t('traccarSettings')), h('dd', { dataset: { testid: 'traccar-settings' } },
          t('traccarSettingsValue', { interval: tc.intervalSeconds, distance: tc.distanceMeters }))]),
      h('p', { class: 'hint' }, t('traccarNote')),
      h('button', {
        type: 'button', class: 'btn btn-wide', dataset: { testid: 'setup-done' },
        onclick: () => {
          this.setup = null;
          this.renderSetup();
          $('device-name').focus();
        },
      }, t('setupDone')));
  }

  renderList() {
    const list = clear($('device-list'));
    $('devices-empty').hidden = this.devices.length > 0;
    for (const d of this.devices) {
      const confirming = this.confirming === d.deviceId;
      const actions = confirming
        ? [
          h('button', { type: 'button', class: 'btn btn-primary btn-danger', dataset: { testid: 'revoke-confirm', deviceId: d.deviceId }, onclick: () => this.revoke(d) }, t('revokeConfirm')),
          h('button', { type: 'button', class: 'btn', dataset: { testid: 'revoke-keep', deviceId: d.deviceId }, onclick: () => { this.confirming = null; this.renderList(); } }, t('keep')),
        ]
        : [h('button', { type: 'button', class: 'btn', dataset: { testid: 'revoke', deviceId: d.deviceId }, onclick: () => { this.confirming = d.deviceId; this.renderList(); } }, t('revoke'))];
      list.append(
        h('li', { class: 'item', dataset: { testid: 'device', deviceId: d.deviceId } },
          h('span', { class: 'title', dataset: { testid: 'device-name' } }, d.name),
          h('span', { class: 'meta' }, h('code', {}, d.topicDevice), ' · ', t('deviceCreated', { time: this.formatTime(d.createdAt) })),
          h('span', { class: 'meta' }, d.lastSeenAt ? t('deviceLastSeen', { time: this.formatTime(d.lastSeenAt) }) : t('deviceNeverSeen')),
          h('span', { class: 'actions' }, actions)));
    }
  }

  async revoke(device) {
    this.confirming = null;
    try {
      await this.api.request(`/riders/me/devices/${encodeURIComponent(device.deviceId)}`, { method: 'DELETE' });
      // a revoked phone's setup (and key) is of no more use
      if (this.setup?.deviceId === device.deviceId) this.setup = null;
      this.banner('done', t('revoked', { name: device.name }));
    } catch (e) {
      this.banner('error', t('revokeFailed', { message: e.message }));
    }
    await this.load();
  }

  banner(result, text) {
    const el = $('device-result');
    el.hidden = false;
    el.dataset.result = result;
    el.textContent = text;
  }
}
