// The task board: open, claimed, in progress, completed and cancelled columns, kept current with no
// reload by the gateway's live stream (task_status events from the back office) and, as a
// fallback while the stream is down, polling. Who claimed and when, cancel with a reason, and the
// audit trail of each task.

import { $, h } from '../shared/dom.js';

const COLUMNS = [
  { key: 'open', title: 'Open', statuses: ['open'] },
  { key: 'claimed', title: 'Claimed', statuses: ['claimed'] },
  { key: 'in_progress', title: 'In progress', statuses: ['in_progress'] },
  { key: 'completed', title: 'Completed', statuses: ['completed', 'needs_review'] },
  { key: 'cancelled', title: 'Cancelled', statuses: ['cancelled', 'expired'] },
];
const CANCELLABLE = new Set(['open', 'claimed', 'in_progress']);
const POLL_MS = 15_000;

const when = (iso) => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' }) : '');

export class Board {
  constructor(app) {
    this.app = app;
    this.tasks = new Map();
    this.stream = null;
    this.failures = 0;
    this.cancelling = null;
    this.columns = new Map();
    $('board-columns').replaceChildren(...COLUMNS.map((c) => {
      const list = h('ul', { 'data-testid': `column-${c.key}`, 'aria-labelledby': `col-${c.key}` });
      const count = h('span', { class: 'count', 'data-testid': `count-${c.key}` }, '0');
      this.columns.set(c.key, { list, count });
      return h('section', { class: 'column', 'aria-labelledby': `col-${c.key}` },
        h('h3', { id: `col-${c.key}` }, `${c.title} `, count), list);
    }));
    $('board-refresh').addEventListener('click', () => this.reload());
    $('audit-close').addEventListener('click', () => { $('audit').hidden = true; });
    app.on('tasks', () => this.reload());
  }

  async start() {
    await this.reload();
    this.connect();
    this.poll = setInterval(() => {
      if (this.stream?.readyState !== EventSource.OPEN) this.reload();
    }, POLL_MS);
  }

  /** The route's name; an older version (not in the list) is looked up once, then redrawn. */
  routeName(routeId) {
    const listed = (this.app.routes ?? []).find((r) => r.id === routeId)?.name;
    if (listed !== undefined) return listed;
    this.names ??= new Map();
    if (!this.names.has(routeId)) {
      this.names.set(routeId, null);
      this.app.backend.route(routeId).then((r) => {
        this.names.set(routeId, `${r.name} (v${r.version})`);
        this.render();
      }, () => {});
    }
    return this.names.get(routeId) ?? `route ${String(routeId).slice(0, 8)}`;
  }

  async reload() {
    const tasks = await this.app.backend.tasks();
    this.tasks = new Map(tasks.map((t) => [t.id, t]));
    this.render();
  }

  async refreshTask(taskId) {
    try {
      const t = await this.app.backend.task(taskId);
      const before = this.tasks.get(taskId)?.status;
      this.tasks.set(t.id, t);
      this.render(before !== t.status ? t.id : null);
    } catch {
      // a task this admin cannot read, or a network blip: the next poll or event catches up
    }
  }

  render(flashId) {
    const typed = document.querySelector('#board-columns [data-testid=cancel-reason]')?.value;
    const sorted = [...this.tasks.values()].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
    for (const c of COLUMNS) {
      const items = sorted.filter((t) => c.statuses.includes(t.status));
      const { list, count } = this.columns.get(c.key);
      list.replaceChildren(...items.map((t) => this.card(t, t.id === flashId)));
      count.textContent = String(items.length);
    }
    const reason = document.querySelector('#board-columns [data-testid=cancel-reason]');
    if (reason && typed) reason.value = typed;
  }

  card(t, flash) {
    const details = [h('p', { class: 'title', 'data-testid': 'task-title' }, t.title),
      h('p', { 'data-testid': 'task-route' }, `Route: ${this.routeName(t.routeId)}`),
      h('p', {}, `Bonus ${t.bonusAmount} ${t.bonusCurrency}`),
      h('p', {}, `Window ${when(t.windowStart)} – ${when(t.windowEnd)}`)];
    if (t.claimedBy) details.push(h('p', { 'data-testid': 'task-claimed' }, `Claimed by ${this.app.userName(t.claimedBy)} at ${when(t.claimedAt)}`));
    if (t.startedAt) details.push(h('p', {}, `Started ${when(t.startedAt)}`));
    if (t.completedAt) details.push(h('p', {}, `Completed ${when(t.completedAt)}`));
    if (t.cancelReason) details.push(h('p', { 'data-testid': 'task-cancel-reason' }, `Cancelled: ${t.cancelReason}`));
    if (t.status === 'needs_review' || t.status === 'expired') details.push(h('p', {}, `Status: ${t.status.replace('_', ' ')}`));
    const audit = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'task-audit' }, 'Audit');
    audit.addEventListener('click', () => this.showAudit(t));
    const actions = h('div', { class: 'actions' }, audit);
    if (CANCELLABLE.has(t.status)) {
      const cancel = h('button', { type: 'button', class: 'btn btn-small btn-danger', 'data-testid': 'task-cancel' }, 'Cancel…');
      cancel.addEventListener('click', () => {
        this.cancelling = t.id;
        this.render();
        document.querySelector(`[data-task-id="${CSS.escape(t.id)}"] textarea`)?.focus();
      });
      actions.append(cancel);
    }
    const li = h('li', { class: `card${flash ? ' flash' : ''}`, 'data-testid': 'task-card', 'data-task-id': t.id, 'data-status': t.status }, ...details, actions);
    if (this.cancelling === t.id && CANCELLABLE.has(t.status)) li.append(this.cancelForm(t));
    return li;
  }

  cancelForm(t) {
    const id = `reason-${t.id}`;
    const reason = h('textarea', { id, rows: 2, maxlength: 1000, 'data-testid': 'cancel-reason', required: true });
    const error = h('p', { class: 'field-msg', role: 'alert', 'data-testid': 'cancel-error' });
    const back = h('button', { type: 'button', class: 'btn btn-small' }, 'Keep it');
    back.addEventListener('click', () => {
      this.cancelling = null;
      this.render();
    });
    const form = h('form', { 'aria-label': 'Cancel the task' },
      h('label', { for: id }, 'Reason (riders and the audit see it)'), reason, error,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-small btn-danger', 'data-testid': 'cancel-confirm' }, 'Cancel the task'), back));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!reason.value.trim()) {
        error.textContent = 'Give a reason.';
        return;
      }
      try {
        const done = await this.app.backend.cancelTask(t.id, reason.value);
        this.cancelling = null;
        this.tasks.set(done.id, done);
        this.render(done.id);
      } catch (err) {
        error.textContent = (err.errors ?? []).map((x) => `${x.field} ${x.message}`).join('\n') || err.message;
      }
    });
    return form;
  }

  async showAudit(t) {
    const panel = $('audit');
    panel.hidden = false;
    $('audit-task').textContent = t.title;
    const list = $('audit-list');
    list.replaceChildren(h('li', {}, 'Loading…'));
    try {
      const events = await this.app.backend.taskEvents(t.id);
      list.replaceChildren(...events.map((e) => {
        const moved = e.fromStatus && e.toStatus && e.fromStatus !== e.toStatus ? ` ${e.fromStatus} → ${e.toStatus}` : '';
        const details = e.details && Object.keys(e.details).length ? ` — ${Object.entries(e.details).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('; ')}` : '';
        return h('li', { 'data-testid': 'audit-event', 'data-type': e.type }, `${when(e.at)} ${e.type}${moved} by ${this.app.userName(e.actorId) || 'the system'}${details}`);
      }));
    } catch (e) {
      list.replaceChildren(h('li', {}, `The audit trail could not be loaded: ${e.message}`));
    }
    $('audit-close').focus();
  }

  // --- live ----------------------------------------------------------------------------------

  setConn(state) {
    const el = document.querySelector('[data-testid=connection-status]');
    el.dataset.state = state;
    el.textContent = { live: 'Live', connecting: 'Connecting…', offline: 'Offline (polling)' }[state];
  }

  connect() {
    this.stream?.close();
    const token = this.app.backend.token;
    if (!token) return;
    const url = new URL(this.app.config.liveUrl, location.href);
    url.searchParams.set('access_token', token);
    const es = new EventSource(url.toString());
    this.stream = es;
    this.setConn('connecting');
    es.onopen = () => {
      this.failures = 0;
      this.setConn('live');
      this.reload(); // whatever changed while the stream was down
    };
    es.onmessage = (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      if (msg.event === 'task_status' && msg.taskId) this.refreshTask(msg.taskId);
    };
    es.onerror = () => {
      if (this.stream !== es || es.readyState !== EventSource.CLOSED) return;
      es.close();
      this.setConn('offline');
      this.failures++;
      // refused (the token expired?) or gone: a fresh token, back off, connect again
      setTimeout(async () => {
        await this.app.backend.freshToken();
        this.connect();
      }, Math.min(30_000, 1000 * 2 ** Math.min(this.failures, 5)));
    };
  }
}
