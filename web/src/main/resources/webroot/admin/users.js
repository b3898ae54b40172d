// Users: create riders, managers and admins, deactivate and reactivate, reset a password. New and
// reset passwords are one-time passwords made here (crypto.getRandomValues), sent once to the API
// and shown once; hiding them forgets them.

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
    return h('tr', { 'data-testid': 'user-row', 'data-username': u.username },
      h('td', {}, u.username), h('td', {}, u.displayName ?? ''), h('td', {}, u.role),
      h('td', { 'data-testid': 'user-status' }, u.active ? 'active' : 'inactive'), h('td', {}, toggle, ' ', reset));
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
