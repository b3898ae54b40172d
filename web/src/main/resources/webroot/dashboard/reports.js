// Reports: weekly and monthly reports (GET /reports, newest first) with their files — CSV, Excel,
// HTML with charts — through short-lived download links (GET /reports/{id}/download), and a form
// to generate or regenerate a period now (POST /reports: 202, the report generating; the list is
// polled while any report is generating, and its links appear when it is ready). Plain ES module;
// the dashboard passes in its API helper, so the session and token refresh are shared.

import { h } from '../shared/dom.js';

const FORMATS = [['csv', 'CSV'], ['xlsx', 'Excel'], ['html', 'HTML']];
const PAGE = 20;
const POLL_MS = 1000;

const when = (iso) => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' }) : '');
const pct = (r) => (typeof r === 'number' ? `${(r * 100).toFixed(1)} %` : '—');
const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The first day of the last complete week (Monday) or month, by the browser's calendar. */
function lastCompleteStart(type, today = new Date()) {
  if (type === 'month') return iso(new Date(today.getFullYear(), today.getMonth() - 1, 1));
  const monday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - ((today.getDay() + 6) % 7));
  return iso(new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() - 7));
}

/**
 * The Reports view. {@code toggle} switches between it and {@code board} (the live map);
 * {@code beforeOpen()} closes any other view; {@code api(path, {method, body})} is the dashboard's
 * authenticated fetch returning JSON; {@code signedIn()} says whether a session is open.
 */
export class ReportsView {
  constructor({ root, toggle, board, api, signedIn, beforeOpen }) {
    Object.assign(this, { root, toggle, board, api, signedIn, beforeOpen });
    this.items = [];
    this.cursor = null;
    this.build();
    toggle.addEventListener('click', () => (this.root.hidden ? this.open() : this.close()));
  }

  build() {
    this.type = h('select', { id: 'report-type', 'data-testid': 'report-type' },
      h('option', { value: 'week', text: 'Week (Monday start)', selected: true }), h('option', { value: 'month', text: 'Month' }));
    this.start = h('input', { id: 'report-start', type: 'date', required: true, 'data-testid': 'report-start',
      value: lastCompleteStart('week') });
    this.type.addEventListener('change', () => {
      this.start.value = lastCompleteStart(this.type.value);
    });
    this.submit = h('button', { type: 'submit', class: 'btn btn-primary btn-small', 'data-testid': 'report-generate',
      text: 'Generate' });
    this.message = h('p', { class: 'report-message', role: 'status', 'aria-live': 'polite', 'data-testid': 'report-message' });
    const form = h('form', { class: 'report-form', 'data-testid': 'report-form', novalidate: true },
      h('label', { for: 'report-type', text: 'Period' }), this.type,
      h('label', { for: 'report-start', text: 'First day' }), this.start, this.submit);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.generate();
    });
    this.body = h('tbody', { 'data-testid': 'report-rows' });
    this.empty = h('p', { class: 'empty', 'data-testid': 'reports-empty', hidden: true,
      text: 'No reports yet. The schedule generates the last complete week and month; or generate one above.' });
    this.more = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'reports-more', text: 'More', hidden: true });
    this.more.addEventListener('click', () => this.load(true));
    const refresh = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'reports-refresh', text: 'Refresh' });
    refresh.addEventListener('click', () => this.load());
    const head = h('tr', {}, ...['Period', 'Dates', 'Status', 'Generated', 'Completed', 'On time', 'Distance', 'Files']
      .map((t) => h('th', { scope: 'col', text: t })));
    this.root.append(h('section', { class: 'reports-panel', 'aria-labelledby': 'reports-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'reports-title', text: 'Reports' }), refresh),
      h('p', { class: 'muted', text: 'Weeks (Monday to Sunday) and months in the business time zone. Generating a period '
        + 'that already has a report replaces it, e.g. after a receipt was corrected.' }),
      form, this.message,
      h('div', { class: 'report-table-wrap' }, h('table', { class: 'report-table', 'data-testid': 'report-table' },
        h('thead', {}, head), this.body)),
      this.empty, this.more));
  }

  open() {
    if (!this.signedIn()) return;
    this.beforeOpen?.();
    this.board.hidden = true;
    this.root.hidden = false;
    this.toggle.setAttribute('aria-pressed', 'true');
    this.load();
  }

  /** Hides the view without showing the board (another view is taking over). */
  hide() {
    clearTimeout(this.pollTimer);
    this.root.hidden = true;
    this.toggle.setAttribute('aria-pressed', 'false');
  }

  close() {
    if (this.root.hidden) return;
    this.hide();
    if (this.signedIn()) {
      this.board.hidden = false;
      window.dispatchEvent(new Event('resize')); // the map measures itself again
    }
  }

  async load(more = false) {
    if (!more) {
      this.items = [];
      this.cursor = null;
    }
    try {
      const q = `/reports?limit=${PAGE}${more && this.cursor ? `&cursor=${encodeURIComponent(this.cursor)}` : ''}`;
      const page = await this.api(q);
      this.items.push(...(page?.items ?? []));
      this.cursor = page?.nextCursor ?? null;
      this.render();
      this.reportRequested();
    } catch (e) {
      this.say(`Reports could not be loaded: ${e.message}`, true);
    }
    this.schedulePoll();
  }

  /** While a listed report is generating (and the view is open), the first page is read again. */
  schedulePoll() {
    clearTimeout(this.pollTimer);
    if (this.root.hidden || !this.items.some((r) => r.status === 'generating')) return;
    this.pollTimer = setTimeout(() => this.load(), POLL_MS);
  }

  /** Says how the report this page requested ended, once it has. */
  reportRequested() {
    const r = this.items.find((i) => i.id === this.requested);
    if (!r || r.status === 'generating') return;
    this.requested = null;
    if (r.status === 'ready' && !r.error) this.say(`Report ${r.label} is ready (generation ${r.generation}).`);
    else this.say(`Report ${r.label} failed: ${r.error ?? 'unknown reason'}`, true);
  }

  render() {
    this.body.replaceChildren(...this.items.map((r) => this.row(r)));
    this.empty.hidden = this.items.length > 0;
    this.more.hidden = !this.cursor;
  }

  row(r) {
    const files = h('td', { class: 'report-files' });
    if (r.status === 'ready') {
      for (const [format, text] of FORMATS) {
        const b = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': `report-download-${format}`,
          'data-format': format, text, title: `Download ${r.label} as ${text}` });
        b.addEventListener('click', () => this.download(r, format, b));
        files.append(b);
      }
      // a regeneration that failed keeps the previous files and says why
      if (r.error) files.append(h('span', { class: 'muted report-note', text: r.error }));
    } else if (r.status === 'generating') {
      files.append(h('span', { class: 'muted report-generating', 'data-testid': 'report-generating', text: 'generating…' }));
    } else {
      files.append(h('span', { class: 'muted', text: r.error ?? 'failed' }));
    }
    return h('tr', { 'data-testid': 'report-row', 'data-report-id': r.id, 'data-label': r.label },
      h('td', {}, h('strong', { text: r.label }), ' ', h('span', { class: 'muted', text: r.periodType })),
      h('td', { text: `${r.periodStart} – ${r.lastDay}` }),
      h('td', {}, h('span', { class: `tag tag-report-${r.status}`, text: r.status })),
      h('td', { text: `${when(r.generatedAt)} · ${r.origin}${r.generation > 1 ? ` · #${r.generation}` : ''}` }),
      h('td', { class: 'num', text: r.tasksCompleted ?? '—' }),
      h('td', { class: 'num', text: pct(r.onTimeRate) }),
      h('td', { class: 'num', text: typeof r.distanceKm === 'number' ? `${r.distanceKm.toFixed(1)} km` : '—' }),
      files);
  }

  async generate() {
    const periodType = this.type.value;
    const start = this.start.value;
    this.submit.disabled = true;
    this.say(`Requesting the ${periodType} starting ${start}…`);
    try {
      // 202: the report is generating; it is shown at once and the list polled until it is done
      const r = await this.api('/reports', { method: 'POST', body: { periodType, start } });
      this.requested = r.id;
      this.say(`Report ${r.label} is generating… its links appear below once it is generated.`);
      this.items = [r, ...this.items.filter((i) => i.id !== r.id)];
      this.render();
      this.schedulePoll();
    } catch (e) {
      this.say(e.message, true);
    } finally {
      this.submit.disabled = false;
    }
  }

  async download(report, format, button) {
    button.disabled = true;
    try {
      const link = await this.api(`/reports/${encodeURIComponent(report.id)}/download?format=${format}`);
      // the link is presigned and short-lived: follow it now (HTML opens in a new tab, the rest downloads)
      const a = h('a', { href: link.url, rel: 'noopener', target: format === 'html' ? '_blank' : null,
        download: format === 'html' ? null : link.fileName });
      document.body.append(a);
      a.click();
      a.remove();
    } catch (e) {
      this.say(`Download failed: ${e.message}`, true);
    } finally {
      button.disabled = false;
    }
  }

  say(text, error = false) {
    this.message.textContent = text;
    this.message.classList.toggle('form-error', error);
  }
}
