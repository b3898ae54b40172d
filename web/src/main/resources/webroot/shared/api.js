// The one client of the back-office API, shared by every page. Plain ES module.
//
//   const config = await loadConfig();            // /config.json: apiUrl, liveUrl, tileUrl
//   const api = new ApiClient(config, { onSessionEnded: (message) => … });
//   await api.signIn(username, password);          // tokens kept in memory (or sessionStorage)
//   const tasks = await api.request('/tasks?status=open');
//
// A request answered 401 refreshes the tokens once (single flight) and is sent again; a refresh
// that is refused ends the session. A refused request throws an ApiError with the API's error code,
// message and field errors, so a form can show each next to its field.

/** A refused or failed API call. status 0 = the back office could not be reached. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0: network)
   * @param {string|null} code the API's error code (`validation_failed`, `not_found`…)
   * @param {string} message readable, from the API when it gave one
   * @param {{errors?: {field: string, message: string}[], retryAfter?: string|null}} more
   */
  constructor(status, code, message, { errors = [], retryAfter = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code ?? null;
    this.errors = Array.isArray(errors) ? errors : [];
    this.retryAfter = retryAfter;
  }

  /** The field errors about one field (`name`, `checkpoints[2].radiusM`…). */
  errorsFor(field) {
    return this.errors.filter((e) => e.field === field);
  }
}

/**
 * The pages' configuration: /config.json at the web root (next to the shared/ folder), with
 * apiUrl (no trailing slash) and liveUrl defaulted.
 */
export async function loadConfig(url = new URL('../config.json', import.meta.url)) {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json: ${res.status}`);
  const config = await res.json();
  config.apiUrl = String(config.apiUrl ?? '').replace(/\/+$/, '');
  config.liveUrl = config.liveUrl ?? '/v1/live';
  return config;
}

const STORAGE_KEY = 'tracklane.session';

/** Where the tokens live: memory only (default), or this tab's sessionStorage. */
function tokenStore(kind) {
  if (kind === 'session' && typeof sessionStorage !== 'undefined') {
    return {
      load: () => {
        try {
          return JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
        } catch {
          return null;
        }
      },
      save: (s) => (s ? sessionStorage.setItem(STORAGE_KEY, JSON.stringify(s)) : sessionStorage.removeItem(STORAGE_KEY)),
    };
  }
  return { load: () => null, save: () => {} };
}

export class ApiClient {
  /**
   * @param config from loadConfig()
   * @param options.storage 'memory' (default) or 'session' (survives a reload of this tab)
   * @param options.onSessionEnded called with a message when a refresh is refused
   */
  constructor(config, { storage = 'memory', onSessionEnded = () => {} } = {}) {
    this.config = config;
    this.store = tokenStore(storage);
    this.onSessionEnded = onSessionEnded;
    this.auth = null; // { accessToken, refreshToken, expiresAt, user }
    this.refreshing = null;
    this.refreshTimer = null;
    const saved = this.store.load();
    if (saved?.refreshToken) this.setSession(saved);
  }

  get signedIn() {
    return !!this.auth;
  }

  get user() {
    return this.auth?.user ?? null;
  }

  get accessToken() {
    return this.auth?.accessToken ?? null;
  }

  /** Milliseconds until the access token expires (negative: expired). */
  get expiresInMs() {
    return this.auth ? this.auth.expiresAt - Date.now() : -1;
  }

  /** Signs in; resolves to the API's answer ({ accessToken, refreshToken, expiresIn, user }). */
  async signIn(username, password) {
    const tokens = await this.request('/auth/login', { method: 'POST', body: { username, password }, auth: false });
    this.setSession(tokens);
    return tokens;
  }

  /** Forgets the tokens (memory and storage). */
  signOut() {
    clearTimeout(this.refreshTimer);
    this.auth = null;
    this.store.save(null);
  }

  setSession(tokens) {
    const expiresAt = tokens.expiresAt ?? Date.now() + (tokens.expiresIn ?? 900) * 1000;
    this.auth = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt,
      user: tokens.user ?? this.auth?.user ?? null,
    };
    this.store.save(this.auth);
    clearTimeout(this.refreshTimer);
    const inMs = Math.max(10_000, expiresAt - Date.now() - 60_000);
    this.refreshTimer = setTimeout(() => this.refresh(), inMs);
  }

  /** Rotates the tokens; single flight. Resolves false (and ends the session) when it is over. */
  refresh() {
    if (!this.auth?.refreshToken) return Promise.resolve(false);
    if (this.refreshing) return this.refreshing;
    this.refreshing = this.request('/auth/refresh', {
      method: 'POST', body: { refreshToken: this.auth.refreshToken }, auth: false,
    })
      .then((tokens) => {
        this.setSession(tokens);
        return true;
      })
      .catch((e) => {
        if (e.status === 0) return false; // network: keep the session, try again later
        this.signOut();
        this.onSessionEnded('Your session has ended. Please sign in again.');
        return false;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  /**
   * One call: JSON in and out. Throws ApiError (status 0 when unreachable).
   * @param path from the API base, e.g. `/tasks/${encodeURIComponent(id)}`
   */
  async request(path, { method = 'GET', body, auth = true, retry = true } = {}) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth) {
      if (!this.auth) throw new ApiError(401, 'unauthorized', 'Not signed in.');
      headers.Authorization = `Bearer ${this.auth.accessToken}`;
    }
    let res;
    try {
      res = await fetch(this.config.apiUrl + path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'network', `Cannot reach the back office at ${this.config.apiUrl}.`);
    }
    if (res.status === 401 && auth && retry && (await this.refresh())) {
      return this.request(path, { method, body, auth, retry: false });
    }
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      throw new ApiError(res.status, json?.error, json?.message || `${res.status} ${res.statusText}`, {
        errors: json?.errors, retryAfter: res.headers.get('Retry-After'),
      });
    }
    return json;
  }

  /** Every page of a paginated list (bounded): the items under `key`, following nextCursor. */
  async allPages(path, key, maxPages = 20) {
    const out = [];
    let cursor = null;
    for (let i = 0; i < maxPages; i++) {
      const sep = path.includes('?') ? '&' : '?';
      const page = await this.request(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
      out.push(...(page?.[key] ?? []));
      cursor = page?.nextCursor;
      if (!cursor) break;
    }
    return out;
  }
}
