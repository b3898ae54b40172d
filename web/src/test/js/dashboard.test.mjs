// Drives Debian's Chromium through the dispatcher dashboard. Started by DashboardBrowserIT, which
// owns the stack and the rider: this script signs in as the manager and checks what the page shows,
// while the Java test publishes the rider's fixes. They take turns through lines on stdout:
//
//   READY        signed in, the task is listed, the live stream is connected → Java rides on route
//   PROGRESS p   the progress bar moved to p % → Java rides on, then ~200 m off the route
//   OFFROUTE     the off-route alert and a larger percentage are shown, the filter and the GCJ-02
//                switch work (screenshot taken) → Java rides back and completes the task
//   DONE         the finished task played back from its stored track, its planted 5-minute gap
//                named on the card (before OFFROUTE) and under the playback bar, and marked on the map
//
// Alongside, a task titled and routed HOSTILE_TEXT (an HTML snippet) is in progress: its title
// and route name must show as text in the list, the route tooltip and the rider tooltip, with no
// element made of them and no dialog. The page is driven by keyboard in places (Tab reaches the
// filter and the task list with a visible focus), keeps to its CSP, and is screenshot at
// 1280×800 (SCREENSHOT) and 1920×1080 (dashboard-1920x1080.png next to it).
//
// Every wait has a deadline; any failure exits non-zero with the reason on stderr.
//
// Environment: DASHBOARD_URL, MANAGER_USERNAME, MANAGER_PASSWORD, TASK_ID, HOSTILE_TASK_ID,
// HOSTILE_TEXT, SCREENSHOT (path of the PNG), optional CHROMIUM (default /usr/bin/chromium), STEP_TIMEOUT_MS (default 60000).

import { chromium } from 'playwright-core';
import path from 'node:path';
import { blur, tabTo, watch } from './page-checks.mjs';

const env = process.env;
const need = (name) => {
  const v = env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const DASHBOARD_URL = need('DASHBOARD_URL');
const TASK_ID = need('TASK_ID');
const HOSTILE_TASK_ID = need('HOSTILE_TASK_ID');
const HOSTILE_TEXT = need('HOSTILE_TEXT');
const SCREENSHOT = need('SCREENSHOT');
const STEP_MS = Number(env.STEP_TIMEOUT_MS ?? 60_000);

function say(line) {
  process.stdout.write(`${line}\n`);
}

function check(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

/** Polls fn until it returns a truthy value; fails with `what` after the deadline. */
async function until(what, fn, timeoutMs = STEP_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const browser = await chromium.launch({
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(STEP_MS);
  const pageErrors = [];
  page.on('pageerror', (e) => {
    pageErrors.push(String(e));
    console.error(`[page error] ${e}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') console.error(`[page ${m.type()}] ${m.text()}`);
  });
  // Nothing but this machine: a request anywhere else is a bug in the page (a CDN, a tile server).
  const foreign = [];
  await page.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname), (route) => {
    foreign.push(route.request().url());
    return route.abort();
  });

  const seen = await watch(page);
  await page.goto(DASHBOARD_URL);
  await page.waitForSelector('body[data-ready=true]');
  const progress = page.locator(`[data-testid=task-progress][data-task-id="${TASK_ID}"]`);

  // The GCJ-02 transform against the published reference value of the standard formulas.
  const gcj = await page.evaluate(async () => (await import('../shared/gcj02.js')).wgs84ToGcj02(39.915, 116.404));
  check(Math.abs(gcj[0] - 39.91640428150164) < 1e-9 && Math.abs(gcj[1] - 116.41024449916938) < 1e-9,
    `GCJ-02 of (39.915, 116.404) is (39.91640428150164, 116.41024449916938), got ${gcj}`);
  const paris = await page.evaluate(async () => (await import('../shared/gcj02.js')).wgs84ToGcj02(48.8566, 2.3522));
  check(paris[0] === 48.8566 && paris[1] === 2.3522, `outside China positions stay as they are, got ${paris}`);

  // The shared modules every page imports, in this page: h() makes text of strings, wires on*
  // listeners, skips empties and flattens arrays; the API client surfaces the API's errors as
  // ApiError with its field errors, and refreshes an expired token once, then gives up.
  const shared = await page.evaluate(async ({ user, password }) => {
    const { h } = await import('../shared/dom.js');
    const { ApiClient, ApiError, loadConfig } = await import('../shared/api.js');
    let clicks = 0;
    const el = h('div', { class: 'x', onclick: () => clicks++, hidden: false, 'data-gone': null },
      '<b>bold</b>', null, false, undefined, ['a', ['b', 1]], h('i', {}, 'ok'));
    el.click();
    const out = {
      dom: {
        text: el.textContent, bold: el.querySelectorAll('b').length, italic: el.querySelectorAll('i').length,
        clicks, attributes: el.getAttributeNames().sort().join(','),
      },
    };
    const client = new ApiClient(await loadConfig());
    try {
      await client.signIn(user, 'not-the-password');
    } catch (e) {
      out.badLogin = { apiError: e instanceof ApiError, status: e.status, signedIn: client.signedIn };
    }
    await client.signIn(user, password);
    try {
      await client.request('/reports', { method: 'POST', body: { periodType: 'fortnight', start: 'soon' } });
    } catch (e) {
      out.invalid = { apiError: e instanceof ApiError, status: e.status, code: e.code, errors: e.errors };
    }
    // an access token the API refuses: one refresh, then the call goes through
    const refresh = client.auth.refreshToken;
    client.auth.accessToken = 'expired';
    const page1 = await client.request('/tasks?status=in_progress&limit=1');
    out.refreshed = { items: Array.isArray(page1.items), rotated: client.auth.refreshToken !== refresh };
    // both refused: the session ends once, the call fails with 401
    let ended = 0;
    client.onSessionEnded = () => ended++;
    client.auth.accessToken = 'expired';
    client.auth.refreshToken = 'revoked';
    try {
      await client.request('/tasks?status=in_progress&limit=1');
    } catch (e) {
      out.over = { status: e.status, ended, signedIn: client.signedIn };
    }
    return out;
  }, { user: need('MANAGER_USERNAME'), password: need('MANAGER_PASSWORD') });
  check(shared.dom.text === '<b>bold</b>ab1ok' && shared.dom.bold === 0 && shared.dom.italic === 1,
    `h(): strings are text, arrays flattened, empties skipped: ${JSON.stringify(shared.dom)}`);
  check(shared.dom.clicks === 1 && shared.dom.attributes === 'class',
    `h(): onclick is a listener, not an attribute; null/false attributes are left out: ${JSON.stringify(shared.dom)}`);
  check(shared.badLogin?.apiError && shared.badLogin.status === 401 && !shared.badLogin.signedIn,
    `a refused sign-in is an ApiError 401: ${JSON.stringify(shared.badLogin)}`);
  check(shared.invalid?.apiError && shared.invalid.status === 400 && shared.invalid.errors.length > 0
      && shared.invalid.errors.every((f) => typeof f.field === 'string' && typeof f.message === 'string'),
    `an invalid body is an ApiError 400 with the API's field errors: ${JSON.stringify(shared.invalid)}`);
  check(shared.refreshed.items && shared.refreshed.rotated,
    `a refused access token is refreshed once and the call retried: ${JSON.stringify(shared.refreshed)}`);
  check(shared.over?.status === 401 && shared.over.ended === 1 && !shared.over.signedIn,
    `a refused refresh ends the session once: ${JSON.stringify(shared.over)}`);

  // A wrong password is refused with a readable message; the right one opens the board.
  const form = page.getByTestId('login-form');
  check(await form.isVisible(), 'the sign-in form is shown first');
  await page.getByTestId('login-username').fill(need('MANAGER_USERNAME'));
  await page.getByTestId('login-password').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  await until('the wrong-password message', async () =>
    /wrong username or password/i.test(await page.getByTestId('login-error').textContent()));
  await page.getByTestId('login-password').fill(need('MANAGER_PASSWORD'));
  await page.getByTestId('login-submit').click();
  await page.getByTestId('task-list').waitFor();
  check(!(await form.isVisible()), 'the sign-in form is gone after signing in');
  await progress.waitFor();
  await until('the live stream to connect', async () =>
    (await page.getByTestId('connection-status').getAttribute('data-state')) === 'live');
  const percentOf = async () => Number(await progress.getAttribute('data-percent'));
  check((await percentOf()) === 0, 'no progress before the first fix');

  // A user's HTML is text: in the task list…
  const hostileItem = page.locator(`[data-testid=task-item][data-task-id="${HOSTILE_TASK_ID}"]`);
  await hostileItem.waitFor();
  const listed = await hostileItem.evaluate((li) => ({
    title: li.querySelector('[data-testid=task-focus]')?.textContent ?? '',
    elements: li.querySelectorAll('img, b').length,
  }));
  check(listed.title.includes(HOSTILE_TEXT), `the task title shows literally, got "${listed.title}"`);
  check(listed.elements === 0, `no element made from the title in the list (${listed.elements})`);

  // …in the route's tooltip (hovering the line)…
  const tooltipText = async (testid) => page.evaluate((id) => {
    const tips = [...document.querySelectorAll('.leaflet-tooltip')];
    const tip = tips.find((t) => t.querySelector(`[data-testid=${id}]`));
    return tip ? { text: tip.querySelector(`[data-testid=${id}]`).textContent, elements: tip.querySelectorAll('img, b').length } : null;
  }, testid);
  const routeTip = await until('the hostile route tooltip', async () => {
    // points along each line, off its vertices (a checkpoint's circle may sit on one)
    const points = await page.evaluate(() => [...document.querySelectorAll('path.route-line')].flatMap((p) =>
      [0.3, 0.7].map((f) => {
        const at = p.getPointAtLength(p.getTotalLength() * f);
        const m = p.getScreenCTM();
        return { x: at.x * m.a + at.y * m.c + m.e, y: at.x * m.b + at.y * m.d + m.f };
      })));
    for (const pt of points) {
      await page.mouse.move(pt.x, pt.y);
      await page.mouse.move(pt.x + 1, pt.y);
      const t = await tooltipText('route-tooltip');
      if (t?.text === HOSTILE_TEXT) return t;
    }
    return null;
  });
  check(routeTip.text === HOSTILE_TEXT, `the route tooltip is the name as text, got "${routeTip.text}"`);
  check(routeTip.elements === 0, `no element made from the route name in its tooltip (${routeTip.elements})`);

  // …and in the rider's tooltip (hovering the marker of its one fix).
  const riderTip = await until('the hostile rider tooltip', async () => {
    const at = await page.evaluate((title) => {
      const m = [...document.querySelectorAll('.leaflet-marker-icon')].find((e) => (e.getAttribute('title') ?? '').startsWith(title));
      if (!m) return null;
      const r = m.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }, HOSTILE_TEXT);
    if (!at) return null;
    await page.mouse.move(at.x, at.y);
    const t = await tooltipText('rider-tooltip');
    return t?.text.startsWith(HOSTILE_TEXT) ? t : null;
  });
  check(riderTip.elements === 0, `no element made from the title in the rider tooltip (${riderTip.elements})`);
  check(await page.locator('img[src=x], .leaflet-pane b, [data-testid=task-list] b').count() === 0,
    'no image or bold element was made from a user\'s text anywhere');
  await page.mouse.move(5, 5);

  // Keyboard: Tab reaches the filter and then a task, with a visible focus; Enter selects it.
  await blur(page);
  await tabTo(page, 'task-filter');
  await tabTo(page, 'task-focus', { attr: ['data-task-id', TASK_ID] });
  await page.keyboard.press('Enter');
  await until('a task selected by keyboard', async () => (await page.locator('[data-testid=task-item].is-selected').count()) === 1);
  say('READY');

  // On route: the bar moves, with the percentage written in it.
  const bar1 = await until('the progress bar to move', async () => {
    const b = await progress.evaluate((e) => ({
      p: Number(e.dataset.percent), text: e.textContent, now: Number(e.getAttribute('aria-valuenow')),
    }));
    return b.p > 0 ? b : null;
  });
  const p1 = bar1.p;
  check(bar1.text.includes(`${Math.round(p1)}%`), `the bar reads ${Math.round(p1)}%, it says "${bar1.text}"`);
  check(bar1.now === Math.round(p1), `aria-valuenow is ${Math.round(p1)}, got ${bar1.now}`);
  say(`PROGRESS ${p1}`);

  // Further along, then off the route: the bar advances and an off-route alert shows, highlighted.
  const offRoute = page.locator('[data-testid=alert-item][data-alert-type=off_route]').first();
  await offRoute.waitFor();
  const p2 = await until('the progress bar to advance', async () => {
    const p = await percentOf();
    return p > p1 ? p : 0;
  });
  check(p2 > p1, `progress advanced (${p1} → ${p2})`);
  check((await offRoute.getAttribute('data-task-id')) === TASK_ID, 'the off-route alert is about the ridden task');
  check(/off route/i.test(await offRoute.textContent()), 'the alert says "Off route"');
  const alertBg = await offRoute.locator('.alert-body').evaluate((e) => getComputedStyle(e).backgroundColor);
  check(alertBg !== 'rgb(255, 255, 255)', `the off-route alert is highlighted (background ${alertBg})`);
  const firstAlert = page.locator('[data-testid=alert-item]').first();
  check((await firstAlert.getAttribute('data-alert-type')) === 'off_route', 'the newest alert is listed first');
  const taskItem = page.locator(`[data-testid=task-item][data-task-id="${TASK_ID}"]`);
  await until('the task to be marked off route', async () => taskItem.getByTestId('task-offroute').isVisible());
  check(/ETA/.test(await taskItem.getByTestId('task-eta').textContent()), 'the task shows an ETA');
  check(await page.locator('.leaflet-marker-icon .rider-dot.is-off').count() >= 1, 'the rider marker is flagged off route');
  check(await page.locator('path.leaflet-interactive').count() >= 2, 'the route and its checkpoints are drawn');

  // The ride has a planted 5-minute gap (Java skipped 5 minutes of fixes before going on): the
  // card's track completeness (refreshed from GET /tasks/{id}) names it, and the late upload.
  const trackProblems = taskItem.getByTestId('task-track-problems');
  await until('the card to name the 5-minute gap', async () =>
    (await trackProblems.isVisible()) && /5 min 0 s gap \d\d:\d\d–\d\d:\d\d/.test(await trackProblems.textContent()));
  const score = await taskItem.getByTestId('task-track').textContent();
  check(/gaps? > 60 s, longest 5 min 0 s/.test(score), `the card's score names the longest gap: ${score}`);
  check(/uploaded late/.test(score), `the card's score names the late upload: ${score}`);

  // The filter hides what does not match, in the list and in the alert feed.
  await page.getByTestId('task-filter').fill('no such task anywhere');
  await until('the filter to hide the task', async () => !(await taskItem.isVisible()));
  check(!(await offRoute.isVisible()), 'alerts of hidden tasks are hidden too');
  await page.getByTestId('task-filter').fill('');
  await until('the task to show again', async () => taskItem.isVisible());

  // The GCJ-02 toggle moves the rider marker on the screen (about 500 m in Shanghai), and back.
  const markerAt = () => page.evaluate(() => {
    const e = document.querySelector('.leaflet-marker-icon .rider-dot');
    if (!e) return null;
    const r = e.getBoundingClientRect();
    return { x: r.x, y: r.y };
  });
  const before = await until('the rider marker', markerAt);
  await page.getByTestId('gcj02-toggle').check();
  await until('the marker to shift', async () => {
    const b = await markerAt();
    return b && Math.hypot(b.x - before.x, b.y - before.y) > 20;
  });
  await page.getByTestId('gcj02-toggle').uncheck();
  await until('the marker to shift back', async () => {
    const b = await markerAt();
    return b && Math.hypot(b.x - before.x, b.y - before.y) < 1;
  });

  await page.screenshot({ path: SCREENSHOT });
  // the same board on a large screen: the map takes the room, the sidebar keeps its width
  await page.setViewportSize({ width: 1920, height: 1080 });
  // Leaflet redraws its vector layers for the new size after a debounced moveend: wait for it
  await until('the map and its drawing to fill the wider window', async () => page.getByTestId('map').evaluate((e) => {
    const w = e.getBoundingClientRect().width;
    const svg = e.querySelector('.leaflet-overlay-pane svg');
    return w > 1400 && svg && Number(svg.getAttribute('width')) >= w;
  }));
  await page.screenshot({ path: path.join(path.dirname(SCREENSHOT), 'dashboard-1920x1080.png') });
  await page.setViewportSize({ width: 1280, height: 800 });
  say('OFFROUTE');

  // Java now brings the rider back and completes the task: it becomes playable.
  const option = page.locator(`[data-testid=playback-select] option[value="${TASK_ID}"]`);
  await option.waitFor({ state: 'attached' });
  await page.getByTestId('playback-select').selectOption(TASK_ID);
  const slider = page.getByTestId('playback-slider');
  await until('the track to load', async () => !(await slider.isDisabled()));
  const max = Number(await slider.getAttribute('max'));
  check(max >= 10, `the slider spans the stored fixes (max ${max})`);
  await slider.evaluate((e) => {
    e.value = String(Math.floor(Number(e.max) / 2));
    e.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const mid = Math.floor(max / 2) + 1;
  await until('the time label to follow the slider', async () =>
    (await page.getByTestId('playback-time').textContent()).includes(`${mid}/${max + 1}`));
  // the stored completeness names the gap under the playback bar, and the gap is marked on the map
  const playbackTrack = page.getByTestId('playback-track');
  await until('the playback to name the gap', async () =>
    (await playbackTrack.isVisible()) && /5 min 0 s gap/.test(await playbackTrack.textContent()));
  check(await page.locator('path.track-gap').count() >= 1, 'the gap is drawn on the played-back track');
  await page.getByTestId('playback-play').click();
  await until('playback to run', async () => {
    const t = await page.getByTestId('playback-time').textContent();
    return !t.includes(`${mid}/${max + 1}`);
  });
  await page.screenshot({ path: path.join(path.dirname(SCREENSHOT), 'dashboard-playback.png') });

  check(foreign.length === 0, `the page requested only this machine, but also asked for: ${foreign.join(', ')}`);
  check(pageErrors.length === 0, `no script errors in the page: ${pageErrors.join('; ')}`);
  const { dialogs, csp } = await seen();
  check(dialogs.length === 0, `no dialog opened: ${dialogs.join('; ')}`);
  check(csp.length === 0, `no Content-Security-Policy violation: ${csp.join('; ')}`);
  say('DONE');
} catch (e) {
  failed = true;
  console.error(e?.stack ?? String(e));
  try {
    const pages = browser.contexts().flatMap((c) => c.pages());
    if (pages.length) await pages[0].screenshot({ path: SCREENSHOT.replace(/\.png$/, '-failure.png') });
  } catch {
    // the browser is gone: nothing more to show
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
