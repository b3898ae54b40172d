// Users: create riders, managers and admins, deactivate and reactivate, reset a password, list and
// revoke a rider's phone-app devices (OwnTracks, Traccar Client; their keys are never shown here).
// New and reset passwords are one-time passwords made here (crypto.getRandomValues), sent once to
// the API and shown once; hiding them forgets them.

import { $, h } from '../shared/dom.js';

// No 0/O, 1/l/I: the password is read out or copied by hand.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const OTP_LENGTH = 16;

export function oneTimePassword() {
  const bytes = new Uint8Array(OTP_LENGTH * 2);
  crypto.getRandomValues(bytes);
  let out = '';
  // rejection sampling: no bias toward the first letters of the alphabet
  const limit = 256 - (256 % ALPHABET.length);
  for (const b of bytes) {
    if (b < limit) out += ALPHABET[b % ALPHABET.length];
    if (out.length === OTP_LENGTH) return out;
  }
  return out + oneTimePassword().slice(0, OTP_LENGTH - out.length);
}

/** An ISO-8601 time in the browser's locale and zone. */
const when = (iso) => new Date(iso).toLocaleString();

export class Users {
  constructor(app) {
    this.app = app;
    $('user-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.create();
    });
    $('otp-done').addEventListener('click', () => this.hideOtp());
  }

  async shown() {
    await this.reload();
  }

  async reload() {
    const users = await this.app.loadUsers();
    $('users-body').replaceChildren(...users.map((u) => this.row(u)));
  }

  row(u) {
    const toggle = h('button', { type: 'button', class: `btn btn-small${u.active ? ' btn-danger' : ''}`, 'data-testid': 'user-toggle' }, u.active ? 'Deactivate' : 'Activate');
    toggle.addEventListener('click', () => this.patch(u, { active: !u.active }, `${u.username} is now ${u.active ? 'inactive' : 'active'}.`));
    const reset = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'user-reset' }, 'Reset password');
    reset.addEventListener('click', async () => {
      const password = oneTimePassword();
      if (await this.patch(u, { password }, `The password of ${u.username} was reset.`)) this.showOtp(u.username, password);
    });
    let phones = null;
    if (u.role === 'rider') {
      phones = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'user-devices', 'aria-expanded': 'false' }, 'Phones');
      phones.addEventListener('click', () => this.toggleDevices(u, phones));
    }
    return h('tr', { 'data-testid': 'user-row', 'data-username': u.username },
      h('td', {}, u.username), h('td', {}, u.displayName ?? ''), h('td', {}, u.role),
      h('td', { 'data-testid': 'user-status' }, u.active ? 'active' : 'inactive'), h('td', {}, toggle, ' ', reset, phones ? ' ' : null, phones));
  }

  /** Opens (or closes) a row under the rider's with their unrevoked phones. */
  async toggleDevices(u, button) {
    const row = button.closest('tr');
    const open = row.nextElementSibling?.dataset.testid === 'user-devices-row' ? row.nextElementSibling : null;
    if (open) {
      open.remove();
      button.setAttribute('aria-expanded', 'false');
      return;
    }
    const cell = h('td', { colspan: '5' });
    row.after(h('tr', { 'data-testid': 'user-devices-row', 'data-username': u.username }, cell));
    button.setAttribute('aria-expanded', 'true');
    await this.renderDevices(u, cell);
  }

  async renderDevices(u, cell) {
    let devices;
    try {
      devices = await this.app.backend.riderDevices(u.id);
    } catch (e) {
      cell.replaceChildren(h('p', { class: 'result error' }, e.message));
      return;
    }
    if (devices.length === 0) {
      cell.replaceChildren(h('p', { class: 'hint', 'data-testid': 'user-devices-empty' }, `${u.username} has no phone apps.`));
      return;
    }
    cell.replaceChildren(h('ul', { class: 'device-list' }, devices.map((d) => {
      const revoke = h('button', { type: 'button', class: 'btn btn-small btn-danger', 'data-testid': 'device-revoke', 'data-device-id': d.deviceId }, 'Revoke');
      revoke.addEventListener('click', async () => {
        // two steps, no dialog: the first click asks, the second revokes
        if (revoke.dataset.armed !== 'true') {
          revoke.dataset.armed = 'true';
          revoke.textContent = 'Revoke for good';
          return;
        }
        const result = $('user-result');
        result.className = 'result';
        try {
          await this.app.backend.revokeDevice(u.id, d.deviceId);
          result.textContent = `${u.username}'s phone ${d.name} is revoked: its key no longer works.`;
        } catch (e) {
          result.className = 'result error';
          result.textContent = e.message;
        }
        await this.renderDevices(u, cell);
      });
      return h('li', { 'data-testid': 'device-item', 'data-device-id': d.deviceId },
        h('strong', {}, d.name), ` (${d.topicDevice}) · added ${when(d.createdAt)}`,
        d.lastSeenAt ? ` · last report ${when(d.lastSeenAt)}` : ' · no report yet', ' ', revoke);
    })));
  }

  async patch(u, body, done) {
    const result = $('user-result');
    result.className = 'result';
    try {
      await this.app.backend.patchUser(u.id, body);
      result.textContent = done;
      await this.reload();
      return true;
    } catch (e) {
      result.className = 'result error';
      result.textContent = e.message;
      return false;
    }
  }

  showErrors(errors) {
    for (const el of document.querySelectorAll('#user-form .field-msg')) el.textContent = '';
    for (const e of errors) {
      const el = document.querySelector(`#user-form .field-msg[data-for="${CSS.escape(e.field)}"]`);
      if (el) el.textContent = e.message;
    }
  }

  async create() {
    const result = $('user-result');
    result.className = 'result';
    result.textContent = '';
    const password = oneTimePassword();
    const body = { username: $('user-username').value.trim(), displayName: $('user-display').value, role: $('user-role').value, password };
    try {
      const u = await this.app.backend.createUser(body);
      this.showErrors([]);
      result.textContent = `Created ${u.role} ${u.username}.`;
      $('user-username').value = '';
      $('user-display').value = '';
      this.showOtp(u.username, password);
      await this.reload();
    } catch (e) {
      this.showErrors(e.errors ?? []);
      result.className = 'result error';
      result.textContent = `Not created: ${e.message}`;
    }
  }

  showOtp(username, password) {
    $('otp-user').textContent = username;
    $('otp-value').textContent = password;
    $('otp').hidden = false;
    $('otp-done').focus();
  }

  hideOtp() {
    $('otp-value').textContent = '';
    $('otp-user').textContent = '';
    $('otp').hidden = true;
  }
}
