// The back-office calls the admin console makes, over the one API client.
// TEMP: a minimal client until shared/api.js lands with the web module.

export class ApiError extends Error {
  constructor(status, code, message, errors = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
}

export class Backend {
  constructor(apiUrl) {
    this.apiUrl = apiUrl.replace(/\/$/, '');
    this.auth = null;
  }

  async call(path, { method = 'GET', body, auth = true } = {}) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth && this.auth) headers.Authorization = `Bearer ${this.auth.accessToken}`;
    let res;
    try {
      res = await fetch(this.apiUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    } catch {
      throw new ApiError(0, 'network', `Cannot reach the back office at ${this.apiUrl}.`);
    }
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) throw new ApiError(res.status, json?.error, json?.message || `${res.status}`, json?.errors ?? []);
    return json;
  }

  async login(username, password) {
    this.auth = await this.call('/auth/login', { method: 'POST', body: { username, password }, auth: false });
    return this.auth.user;
  }

  logout() {
    this.auth = null;
  }

  get token() {
    return this.auth?.accessToken;
  }

  async pages(path, key, maxPages = 20) {
    const out = [];
    let cursor = null;
    for (let i = 0; i < maxPages; i++) {
      const sep = path.includes('?') ? '&' : '?';
      const page = await this.call(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
      out.push(...(page?.[key] ?? []));
      cursor = page?.nextCursor;
      if (!cursor) break;
    }
    return out;
  }

  routes() { return this.pages('/routes?limit=200', 'items'); }
  route(id) { return this.call(`/routes/${encodeURIComponent(id)}`); }
  createRoute(body) { return this.call('/routes', { method: 'POST', body }); }
  updateRoute(id, body) { return this.call(`/routes/${encodeURIComponent(id)}`, { method: 'PUT', body }); }
  tasks(status) { return this.pages(`/tasks?limit=200${status ? `&status=${status}` : ''}`, 'items'); }
  task(id) { return this.call(`/tasks/${encodeURIComponent(id)}`); }
  createTask(body) { return this.call('/tasks', { method: 'POST', body }); }
  cancelTask(id, reason) { return this.call(`/tasks/${encodeURIComponent(id)}/cancel`, { method: 'POST', body: { reason } }); }
  taskEvents(id) { return this.call(`/tasks/${encodeURIComponent(id)}/events`).then((r) => r.items ?? []); }
  users() { return this.pages('/users?limit=200', 'users'); }
  createUser(body) { return this.call('/users', { method: 'POST', body }); }
  patchUser(id, body) { return this.call(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body }); }
}
