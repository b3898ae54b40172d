// DOM helpers shared by every page. Plain ES module, no build step.
//
// The one rule: whatever a user typed (route, checkpoint, task and user names, cancel reasons,
// notes) reaches the page as text. h() turns every string child into a text node and never sets
// innerHTML; pages build Leaflet tooltips and popups from h() nodes too, since Leaflet reads a
// string content as HTML.

/**
 * Creates an element.
 *
 * attrs: `class` (className), `text` (textContent), `on<event>` functions as listeners
 * (`onclick`, `onInput`…), `style` an object of properties (custom properties included), `dataset`
 * an object of data-* values; any other as an attribute (true = present, null/undefined/false =
 * absent). children: strings and numbers become text nodes, nodes are appended, arrays are
 * flattened, null/undefined/false are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = String(v);
    else if (k === 'style' && typeof v === 'object') {
      for (const [p, pv] of Object.entries(v)) e.style.setProperty(p, String(pv));
    } else if (k === 'dataset' && typeof v === 'object') {
      for (const [d, dv] of Object.entries(v)) if (dv !== undefined && dv !== null) e.dataset[d] = String(dv);
    } else if (/^on[a-z]/i.test(k) && typeof v === 'function') {
      e.addEventListener(k.slice(2).toLowerCase(), v);
    } else {
      e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(e, children);
  return e;
}

/** Appends children as h() does: text for strings, arrays flattened, empties skipped. */
export function append(parent, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else if (c instanceof Node) parent.append(c);
    else parent.append(document.createTextNode(String(c)));
  }
  return parent;
}

/** Removes every child of el; returns el. */
export function clear(el) {
  el.replaceChildren();
  return el;
}

/** The element with this id (null when none). */
export const $ = (id) => document.getElementById(id);

/** The first element matching a selector, under root (default the document). */
export const qs = (selector, root = document) => root.querySelector(selector);

/**
 * Lines of text as one node, for a Leaflet tooltip or popup: a span with one text line per entry
 * (null/empty skipped), never parsed as HTML.
 */
export function textLines(...lines) {
  const kept = lines.flat().filter((l) => l !== null && l !== undefined && l !== '');
  const out = h('span', { class: 'text-lines' });
  kept.forEach((l, i) => {
    if (i > 0) out.append(h('br'));
    out.append(document.createTextNode(String(l)));
  });
  return out;
}
