// The back-office calls the admin console makes, over the one API client (shared/api.js: bearer
// token, refresh on 401, ApiError with the API's field errors).

import { ApiClient } from '../shared/api.js';

export class Backend {
  constructor(config, onSessionEnded) {
    this.api = new ApiClient(config, { onSessionEnded });
  }

  /** Signs in; resolves to the user ({id, username, displayName, role}). */
  async login(username, password) {
    return (await this.api.signIn(username, password)).user;
  }

  logout() {
    this.api.signOut();
  }

  /** The current access token (the live stream takes it as a query parameter). */
  get token() {
    return this.api.accessToken;
  }

  /** A token with at least two minutes left, refreshed first when needed. */
  async freshToken() {
    if (this.api.expiresInMs < 120_000) await this.api.refresh();
    return this.api.accessToken;
  }

  routes() { return this.api.allPages('/routes?limit=200', 'items'); }
  route(id) { return this.api.request(`/routes/${encodeURIComponent(id)}`); }
  createRoute(body) { return this.api.request('/routes', { method: 'POST', body }); }
  updateRoute(id, body) { return this.api.request(`/routes/${encodeURIComponent(id)}`, { method: 'PUT', body }); }
  tasks(status) { return this.api.allPages(`/tasks?limit=200${status ? `&status=${encodeURIComponent(status)}` : ''}`, 'items'); }
  task(id) { return this.api.request(`/tasks/${encodeURIComponent(id)}`); }
  createTask(body) { return this.api.request('/tasks', { method: 'POST', body }); }
  cancelTask(id, reason) { return this.api.request(`/tasks/${encodeURIComponent(id)}/cancel`, { method: 'POST', body: { reason } }); }
  async taskEvents(id) { return (await this.api.request(`/tasks/${encodeURIComponent(id)}/events`))?.items ?? []; }
  users() { return this.api.allPages('/users?limit=200', 'users'); }
  createUser(body) { return this.api.request('/users', { method: 'POST', body }); }
  patchUser(id, body) { return this.api.request(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body }); }
  async riderDevices(riderId) { return (await this.api.request(`/riders/${encodeURIComponent(riderId)}/devices`))?.devices ?? []; }
  revokeDevice(riderId, deviceId) { return this.api.request(`/riders/${encodeURIComponent(riderId)}/devices/${encodeURIComponent(deviceId)}`, { method: 'DELETE' }); }
}
