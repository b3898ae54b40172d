// Receipts review: the manager's queue of receipts OCR could not settle (GET /receipts?status=…),
// each shown with its image (a short-lived presigned link) and what was read, confirmed as read or
// corrected by hand (PATCH /receipts/{id}; the back office audits both). Plain ES module; the
// dashboard passes in its API helper, so the session and token refresh are shared.

import { h } from '../shared/dom.js';

const STATUSES = [
  ['needs_review', 'Needs review'],
  ['failed', 'Failed'],
  ['extracted', 'Extracted'],
  ['confirmed', 'Confirmed'],
  ['', 'All'],
];
const CONFIRMABLE = new Set(['extracted', 'needs_review']);
const CORRECTABLE = new Set(['extracted', 'needs_review', 'failed', 'confirmed']);
const PAGE = 50;

const money = (r) => (r.amount ? `${r.amount} ${r.currency ?? ''}`.trim() : '—');
const when = (iso) => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' }) : '');
const label = (status) => STATUSES.find(([s]) => s === status)?.[1] ?? status;

/**
 * The Receipts view. {@code toggle} switches between it and {@code board} (the live map);
 * {@code api(path, {method, body})} is the dashboard's authenticated fetch returning JSON;
 * {@code signedIn()} says whether a session is open.
 */
export class ReceiptsView {
  constructor({ root, toggle, board, api, signedIn }) {
    this.root = root;
    this.signedIn = signedIn;
    this.toggle = toggle;
    this.board = board;
    this.api = api;
    this.status = 'needs_review';
    this.items = [];
    this.cursor = null;
    this.selected = null;
    this.build();
    toggle.addEventListener('click', () => (this.root.hidden ? this.open() : this.close()));
  }

  build() {
    this.filter = h('select', { id: 'receipts-status', 'data-testid': 'receipts-status' },
      ...STATUSES.map(([value, text]) => h('option', { value, text, selected: value === this.status })));
    this.filter.addEventListener('change', () => {
      this.status = this.filter.value;
      this.load();
    });
    const refresh = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'receipts-refresh', text: 'Refresh' });
    refresh.addEventListener('click', () => this.load());
    this.more = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'receipts-more', text: 'More', hidden: true });
    this.more.addEventListener('click', () => this.load(true));
    this.list = h('ul', { class: 'receipt-list', 'data-testid': 'receipts-list' });
    this.empty = h('p', { class: 'empty', 'data-testid': 'receipts-empty', text: 'Nothing to review.', hidden: true });
    this.detail = h('section', { class: 'receipt-detail', 'data-testid': 'receipt-detail', 'aria-live': 'polite' },
      h('p', { class: 'empty', text: 'Choose a receipt.' }));
    this.root.replaceChildren(
      h('aside', { class: 'receipt-queue', 'aria-label': 'Receipts' },
        h('div', { class: 'panel-head' }, h('h2', { id: 'receipts-title', text: 'Receipts' }), refresh),
        h('label', { for: 'receipts-status', text: 'Status' }), this.filter,
        this.list, this.empty, this.more),
      this.detail);
  }

  open() {
    this.board.hidden = true;
    this.root.hidden = false;
    this.toggle.setAttribute('aria-pressed', 'true');
    this.toggle.textContent = 'Live map';
    this.load();
  }

  /** Back to the map (also on sign-out). */
  close() {
    if (this.root.hidden) return;
    this.root.hidden = true;
    this.toggle.setAttribute('aria-pressed', 'false');
    this.toggle.textContent = 'Receipts';
    if (this.signedIn()) {
      this.board.hidden = false;
      window.dispatchEvent(new Event('resize')); // the map measures itself again
    }
    this.detail.replaceChildren(h('p', { class: 'empty', text: 'Choose a receipt.' }));
    this.selected = null;
  }

  async load(more = false) {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (this.status) q.set('status', this.status);
    if (more && this.cursor) q.set('cursor', this.cursor);
    try {
      const page = await this.api(`/receipts?${q}`);
      this.items = more ? [...this.items, ...page.items] : page.items;
      this.cursor = page.nextCursor ?? null;
      this.renderList();
    } catch (e) {
      this.list.replaceChildren(h('li', { class: 'form-error', role: 'alert', text: e.message }));
    }
  }

  renderList() {
    this.list.replaceChildren(...this.items.map((r) => {
      const b = h('button', { type: 'button', class: 'receipt-item', 'data-testid': 'receipt-item', 'data-id': r.id,
        'aria-current': this.selected === r.id ? 'true' : null },
      h('strong', { 'data-testid': 'receipt-item-amount', text: money(r) }),
      h('span', { class: `tag tag-${r.status}`, text: label(r.status) }),
      h('span', { class: 'muted', text: when(r.createdAt) }));
      b.addEventListener('click', () => this.show(r.id));
      return h('li', {}, b);
    }));
    this.empty.hidden = this.items.length > 0;
    this.more.hidden = !this.cursor;
  }

  /** Shows one receipt: image, fields and the review form ({@code notice}: what was just saved). */
  async show(id, notice) {
    this.selected = id;
    this.renderList();
    let r;
    try {
      r = await this.api(`/receipts/${encodeURIComponent(id)}`);
    } catch (e) {
      this.detail.replaceChildren(h('p', { class: 'form-error', role: 'alert', text: e.message }));
      return;
    }
    const picture = h('div', { class: 'receipt-image' }, h('p', { class: 'muted', text: 'Loading the image…' }));
    const saved = notice ? h('p', { class: 'ok', role: 'status', 'data-testid': 'receipt-message', text: notice }) : null;
    this.detail.replaceChildren(picture, this.fields(r), saved ?? this.form(r));
    try {
      const link = await this.api(`/receipts/${encodeURIComponent(id)}/image`);
      const pdf = (r.detectedContentType ?? r.contentType) === 'application/pdf';
      picture.replaceChildren(pdf
        ? h('a', { href: link.url, target: '_blank', rel: 'noopener', 'data-testid': 'receipt-image', text: 'Open the PDF' })
        : h('img', { src: link.url, alt: `Receipt ${r.id}`, 'data-testid': 'receipt-image' }));
    } catch (e) {
      picture.replaceChildren(h('p', { class: 'muted', text: `No image: ${e.message}` }));
    }
  }

  fields(r) {
    const row = (name, value, testid) => [h('dt', { text: name }), h('dd', { 'data-testid': testid, text: value ?? '—' })];
    return h('dl', { class: 'receipt-fields', 'data-testid': 'receipt-fields' },
      ...row('Status', label(r.status), 'receipt-status'),
      ...row('Amount', money(r), 'receipt-amount'),
      ...row('Date', r.date, 'receipt-date'),
      ...row('Merchant', r.merchant, 'receipt-merchant'),
      ...row('Confidence', r.confidence == null ? null : `${Math.round(r.confidence * 100)} %`, 'receipt-confidence'),
      ...row('Read by', r.provider, 'receipt-provider'),
      ...row('Why review', r.reviewReasons?.length ? r.reviewReasons.join('; ') : null, 'receipt-reasons'),
      ...row('Failure', r.failureReason, 'receipt-failure'),
      ...row('Reviewed', r.reviewedAt ? `${when(r.reviewedAt)} — ${r.reviewNote ?? ''}` : null, 'receipt-reviewed'),
      h('dt', { text: 'Text read' }),
      h('dd', {}, h('details', {}, h('summary', { text: 'Show' }), h('pre', { text: r.rawText ?? '' }))));
  }

  form(r) {
    const input = (name, text, attrs) => {
      const id = `receipt-${name}`;
      return [h('label', { for: id, text }), h('input', { id, name, 'data-testid': `correct-${name}`, ...attrs })];
    };
    const message = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'receipt-message' });
    const confirm = h('button', { type: 'button', class: 'btn', 'data-testid': 'receipt-confirm', text: 'Confirm as read',
      disabled: !(CONFIRMABLE.has(r.status) && r.amount && r.currency) });
    const correct = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'receipt-correct',
      text: 'Save correction', disabled: !CORRECTABLE.has(r.status) });
    // The figures the reader's readings competed with: one click makes one the correction (with
    // the currency and note typed below, or the receipt's currency and a note naming the pick).
    const readings = (r.competingTotals ?? []).length && CORRECTABLE.has(r.status)
      ? h('fieldset', { class: 'receipt-readings', 'data-testid': 'receipt-readings' },
        h('legend', { text: 'Readings of the total — pick one' }),
        ...r.competingTotals.map((t) => {
          const b = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'receipt-reading', 'data-amount': t.amount,
            text: `${t.amount} — ${t.readBy.join(', ')}` });
          b.addEventListener('click', () => {
            const v = (n) => form.elements[n].value.trim();
            const body = { action: 'correct', amount: t.amount, currency: (v('currency') || r.currency || '').toUpperCase(),
              note: v('note') || `picked the reading ${t.amount} (${t.readBy.join(', ')})` };
            if (v('date')) body.date = v('date');
            if (v('merchant')) body.merchant = v('merchant');
            send(body);
          });
          return b;
        }))
      : null;
    const form = h('form', { class: 'receipt-form', 'data-testid': 'receipt-form', novalidate: true },
      ...(readings ? [readings] : []),
      ...input('amount', 'Amount', { inputmode: 'decimal', value: r.amount ?? '', placeholder: '12.34' }),
      ...input('currency', 'Currency', { value: r.currency ?? 'CNY', maxlength: 3, placeholder: 'CNY' }),
      ...input('date', 'Date', { type: 'date', value: r.date ?? '' }),
      ...input('merchant', 'Merchant', { value: r.merchant ?? '', maxlength: 200 }),
      ...input('note', 'Note (why)', { maxlength: 500, placeholder: 'What was wrong' }),
      message, h('div', { class: 'receipt-actions' }, confirm, correct));
    const send = async (body) => {
      message.textContent = '';
      confirm.disabled = correct.disabled = true;
      try {
        const done = await this.api(`/receipts/${encodeURIComponent(r.id)}`, { method: 'PATCH', body });
        this.items = this.status && this.status !== done.status
          ? this.items.filter((x) => x.id !== r.id) : this.items.map((x) => (x.id === r.id ? done : x));
        await this.show(done.id, `Saved: ${money(done)}, confirmed.`);
      } catch (e) {
        message.textContent = e.message;
        confirm.disabled = !(CONFIRMABLE.has(r.status) && r.amount && r.currency);
        correct.disabled = !CORRECTABLE.has(r.status);
      }
    };
    confirm.addEventListener('click', () => {
      const note = form.elements.note.value.trim();
      send(note ? { action: 'confirm', note } : { action: 'confirm' });
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const v = (n) => form.elements[n].value.trim();
      const body = { action: 'correct', amount: v('amount'), currency: v('currency').toUpperCase(), note: v('note') };
      if (v('date')) body.date = v('date');
      if (v('merchant')) body.merchant = v('merchant');
      send(body);
    });
    return form;
  }
}
