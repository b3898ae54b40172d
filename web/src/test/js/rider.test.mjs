// Drives two riders' phones (Chromium at 360×800, separate browser contexts) through the rider app
// while the admin API publishes a task. Started by RiderRaceBrowserIT, which owns the stack, made
// the route, and checks DynamoDB once this script has reported:
//
//   OFFER_MS a b      ms from the admin's POST /tasks to each rider's page holding the offer
//   CLAIM {json}      which rider won, which saw "taken"
//   FIXES {json}      the winner's ride: task id, every fix the page sampled (from its IndexedDB
//                     track), the offline window (epoch ms), what the page POSTed to the gateway
//   DONE {json}       receipt amount shown, completion, earnings shown
//
// Along the way it asserts on the pages: the offer's hostile title shown as text, exactly one
// "won" and one "taken", the loser's offer gone, fixes buffered while offline and none left after,
// the OCR amount, the completion and the earnings, the app reloaded offline from its service
// worker; no CSP violation, no dialog, no page error.
// Screenshots: rider-offers.png, rider-riding.png, rider-receipt.png.
//
// Environment: RIDER_URL (the app, with ?fixEveryMs=), API_URL, ADMIN_TOKEN, ROUTE_ID, ROUTE_LINE
// (JSON [[lat, lon], …]), RIDERS (JSON [[username, password], [username, password]]), TITLE,
// BONUS, RECEIPT_IMAGE, RECEIPT_AMOUNT, SCREENSHOT_DIR, FIX_EVERY_MS, OFFLINE_MS, SPEED_MPS,
// optional CHROMIUM, STEP_TIMEOUT_MS.

import { chromium } from 'playwright-core';
import path from 'node:path';
import { watch } from './page-checks.mjs';

const env = process.env;
const need = (name) => {
  const v = env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const RIDER_URL = need('RIDER_URL');
const API_URL = need('API_URL');
const ADMIN_TOKEN = need('ADMIN_TOKEN');
const ROUTE_ID = need('ROUTE_ID');
const LINE = JSON.parse(need('ROUTE_LINE'));
const RIDERS = JSON.parse(need('RIDERS'));
const TITLE = need('TITLE');
const BONUS = need('BONUS');
const SHOTS = need('SCREENSHOT_DIR');
const FIX_EVERY_MS = Number(need('FIX_EVERY_MS'));
const OFFLINE_MS = Number(need('OFFLINE_MS'));
const SPEED = Number(need('SPEED_MPS'));
const STEP_MS = Number(env.STEP_TIMEOUT_MS ?? 60_000);

const say = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function check(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}
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
    await sleep(50);
  }
}

/** Metres between [lat, lon] points (the same sphere as the back office's). */
function metres(a, b) {
  const rad = Math.PI / 180;
  const s = Math.sin(((b[0] - a[0]) * rad) / 2) ** 2
    + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(((b[1] - a[1]) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(s));
}

/** The point `d` metres along the line. */
function along(line, d) {
  for (let i = 1; i < line.length; i++) {
    const seg = metres(line[i - 1], line[i]);
    if (d <= seg) {
      const f = seg === 0 ? 0 : d / seg;
      return [line[i - 1][0] + f * (line[i][0] - line[i - 1][0]), line[i - 1][1] + f * (line[i][1] - line[i - 1][1])];
    }
    d -= seg;
  }
  return line[line.length - 1];
}
const LENGTH = LINE.slice(1).reduce((sum, p, i) => sum + metres(LINE[i], p), 0);

async function api(method, p, body) {
  const res = await fetch(API_URL + p, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const browser = await chromium.launch({
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  const start = LINE[0];
  // Two phones: one in English, one in Chinese (the app follows navigator.language)
  const phones = [];
  for (const [i, [username, password]] of RIDERS.entries()) {
    const context = await browser.newContext({
      viewport: { width: 360, height: 800 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: i === 0 ? 'en-US' : 'zh-CN',
      permissions: ['geolocation'],
      geolocation: { latitude: start[0] + 0.004, longitude: start[1] - 0.004, accuracy: 5 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    const report = await watch(page);
    const errors = [];
    page.on('pageerror', (e) => {
      errors.push(String(e));
      console.error(`[${username} page error] ${e}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') console.error(`[${username} ${m.type()}] ${m.text()}`);
    });
    // nothing leaves the machine (a hostile <img src=x> would request x)
    const requested = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname), (route) => route.abort());
    phones.push({ username, password, context, page, report, errors, requested, lang: i === 0 ? 'en' : 'zh-CN' });
  }

  for (const p of phones) {
    await p.page.goto(RIDER_URL);
    await p.page.fill('[data-testid=login-username]', p.username);
    await p.page.fill('[data-testid=login-password]', p.password);
    await p.page.click('[data-testid=login-submit]');
    await p.page.waitForSelector('[data-testid=connection-status][data-state=live]');
  }
  check((await phones[0].page.textContent('[data-testid=tab-offers]')) === 'Offers', 'English for en-US');
  check((await phones[1].page.textContent('[data-testid=tab-offers]')) === '任务', 'Chinese for zh-CN');
  // the service worker took the app shell
  await until('the service worker', () => phones[0].page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.active));

  // ------------------------------------------------------------------ the race
  const windowStart = new Date(Date.now() - 60_000).toISOString();
  const windowEnd = new Date(Date.now() + 3 * 3600_000).toISOString();
  const published = Date.now();
  const task = await api('POST', '/tasks', {
    routeId: ROUTE_ID, title: TITLE, bonusAmount: BONUS, bonusCurrency: 'CNY', windowStart, windowEnd,
  });
  const card = `[data-testid=offer][data-task-id="${task.id}"]`;
  const offerMs = [];
  for (const p of phones) {
    await p.page.waitForSelector(card, { timeout: 5_000 });
    offerMs.push(Number(await p.page.getAttribute(card, 'data-received-at')) - published);
  }
  say(`OFFER_MS ${offerMs.join(' ')}`);
  for (const p of phones) {
    check((await p.page.textContent(`${card} [data-testid=offer-title]`)) === TITLE, 'the title as text');
    check((await p.page.locator('[data-testid=offer-list] b, [data-testid=offer-list] img').count()) === 0, 'no element made of the title');
  }
  await phones[0].page.click('[data-testid=sort-bonus]');
  await phones[0].page.screenshot({ path: path.join(SHOTS, 'rider-offers.png') });

  // both tap claim at once
  await Promise.all(phones.map((p) => p.page.locator(`${card} [data-testid=claim]`).tap()));
  const results = [];
  for (const p of phones) {
    const sel = `[data-testid=claim-result][data-task-id="${task.id}"]`;
    await p.page.waitForSelector(sel);
    results.push(await p.page.getAttribute(sel, 'data-result'));
  }
  check(results.filter((r) => r === 'won').length === 1 && results.filter((r) => r === 'taken').length === 1,
    `exactly one won and one taken: ${results}`);
  const winner = phones[results.indexOf('won')];
  const loser = phones[results.indexOf('taken')];
  await loser.page.waitForSelector(card, { state: 'detached', timeout: 2_000 });
  await winner.page.waitForSelector(card, { state: 'detached', timeout: 2_000 });
  check((await loser.page.textContent('[data-testid=claim-result]')).includes(loser.lang === 'en' ? 'Taken' : '已被抢走'), 'the loser is told in their language');
  say(`CLAIM ${JSON.stringify({ taskId: task.id, winner: winner.username, loser: loser.username })}`);

  // ------------------------------------------------------------------ the ride
  const page = winner.page;
  // every upload attempt the page makes, with its answer
  const uploads = [];
  page.on('requestfinished', async (r) => {
    if (!r.url().includes('/v1/tasks/') || r.method() !== 'POST') return;
    const res = await r.response();
    uploads.push({ at: Date.now(), status: res?.status() ?? 0, ts: JSON.parse(r.postData()).map((f) => f.ts) });
  });
  page.on('requestfailed', (r) => {
    if (!r.url().includes('/v1/tasks/') || r.method() !== 'POST') return;
    uploads.push({ at: Date.now(), status: 0, ts: JSON.parse(r.postData()).map((f) => f.ts) });
  });
  await winner.context.setGeolocation({ latitude: start[0], longitude: start[1], accuracy: 5 });
  await page.click('[data-testid=tab-tasks]');
  await page.click(`[data-testid=task][data-task-id="${task.id}"] [data-testid=start]`);
  await page.waitForSelector('[data-testid=riding]:not([hidden])');
  await page.waitForSelector('[data-testid=checkpoint-list] li');

  // completing before the ride: the API's arrival errors, shown as it wrote them
  let arrivalErrors = [];
  for (let attempt = 0; attempt < 3 && !arrivalErrors.length; attempt++) {
    await page.click('[data-testid=complete]');
    await page.waitForSelector('[data-testid=complete-result][data-state=error]');
    arrivalErrors = await page.locator('[data-testid=complete-errors] li').allTextContents();
  }
  check(arrivalErrors.length >= 1, 'the arrival errors are listed');
  check((await page.locator('[data-testid=complete-result] i').count()) === 0, 'a checkpoint name in an error stays text');
  say(`ARRIVAL_ERRORS ${JSON.stringify(arrivalErrors)}`);

  const rideMs = (LENGTH / SPEED) * 1000;
  const offlineAt = Math.max(3 * FIX_EVERY_MS, (rideMs - OFFLINE_MS) / 2);
  check(offlineAt + OFFLINE_MS < rideMs - 2 * FIX_EVERY_MS, `the ride (${Math.round(rideMs)} ms) is longer than the offline stretch`);
  const t0 = Date.now();
  let offline = null;
  let online = null;
  let pendingWhileOffline = 0;
  let shot = false;
  let percentBeforeOffline = 0; // the gateway's progress as the riding view showed it mid-ride
  for (;;) {
    const elapsed = Date.now() - t0;
    const d = Math.min(LENGTH, (elapsed / 1000) * SPEED);
    const [lat, lon] = along(LINE, d);
    await winner.context.setGeolocation({ latitude: lat, longitude: lon, accuracy: 5 });
    if (!offline) {
      const shown = Number(await page.getAttribute('[data-testid=ride-progress]', 'data-percent'));
      if (Number.isFinite(shown)) percentBeforeOffline = Math.max(percentBeforeOffline, shown);
    }
    if (!offline && elapsed >= offlineAt) {
      await winner.context.setOffline(true);
      offline = Date.now();
    }
    if (offline && !online && elapsed >= offlineAt + OFFLINE_MS) {
      pendingWhileOffline = Number(await page.getAttribute('[data-testid=fix-pending]', 'data-n'));
      check((await page.getAttribute('[data-testid=upload-status]', 'data-state')) === 'waiting', 'the page knows it is offline');
      if (!shot) {
        // the riding view as the rider sees it offline: the track so far, the fixes kept
        await page.screenshot({ path: path.join(SHOTS, 'rider-riding.png') });
        shot = true;
      }
      await winner.context.setOffline(false);
      online = Date.now();
    }
    if (d >= LENGTH) break;
    await sleep(Math.min(200, FIX_EVERY_MS / 4));
  }
  // stay at the drop-off for a few samples, then let the buffer drain
  await sleep(3 * FIX_EVERY_MS);
  check(pendingWhileOffline >= Math.floor(OFFLINE_MS / FIX_EVERY_MS) - 3, `fixes buffered while offline: ${pendingWhileOffline}`);
  await until('the buffer to drain', async () => Number(await page.getAttribute('[data-testid=fix-pending]', 'data-n')) === 0);
  // the gateway's progress for this rider's own task, from its live stream, as text
  await until('the riding view to show progress', async () => Number(await page.getAttribute('[data-testid=ride-progress]', 'data-percent')) > 0);
  const progressShown = await page.textContent('[data-testid=ride-progress]');
  const percentAtEnd = Number(await page.getAttribute('[data-testid=ride-progress]', 'data-percent'));
  check(percentBeforeOffline > 0 && percentBeforeOffline < 100, `progress shown mid-ride: ${percentBeforeOffline}%`);
  check(/\d+%/.test(progressShown) && percentAtEnd > percentBeforeOffline, `progress shown at the drop-off: ${progressShown}`);
  say(`RIDE_PROGRESS ${JSON.stringify({ percentBeforeOffline, percentAtEnd, text: progressShown })}`);
  const sampled = await page.evaluate((taskId) => new Promise((resolve, reject) => {
    const open = indexedDB.open('tracklane-rider');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const range = IDBKeyRange.bound([taskId, -Infinity], [taskId, Infinity]);
      const req = open.result.transaction('track').objectStore('track').getAll(range);
      req.onsuccess = () => resolve(req.result.map(({ ts, lat, lon }) => ({ ts, lat, lon })));
      req.onerror = () => reject(req.error);
    };
  }), task.id);
  check(Number(await page.getAttribute('[data-testid=fix-count]', 'data-n')) === sampled.length, 'the count shown is the track kept');
  say(`FIXES ${JSON.stringify({ taskId: task.id, sampled, offline, online, uploads })}`);

  // ------------------------------------------------------------------ receipt, complete, earnings
  await page.setInputFiles('[data-testid=receipt-file]', need('RECEIPT_IMAGE'));
  await page.waitForSelector('[data-testid=receipt-status]:is([data-state=extracted], [data-state=review], [data-state=failed])', { timeout: 120_000 });
  const receiptState = await page.getAttribute('[data-testid=receipt-status]', 'data-state');
  const receiptText = await page.textContent('[data-testid=receipt-status]');
  check(receiptState === 'extracted' && receiptText.includes(need('RECEIPT_AMOUNT')), `the OCR amount shown: ${receiptState} ${receiptText}`);
  await page.evaluate(() => document.querySelector('[data-testid=receipt-status]').scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: path.join(SHOTS, 'rider-receipt.png') });

  await page.click('[data-testid=complete]');
  await page.waitForSelector('[data-testid=complete-result]:is([data-state=done], [data-state=held], [data-state=error])');
  const completion = { state: await page.getAttribute('[data-testid=complete-result]', 'data-state'), text: await page.textContent('[data-testid=complete-result]') };
  check(completion.state === 'done', `completed: ${JSON.stringify(completion)}`);
  await page.click('[data-testid=tab-earnings]');
  const total = await page.waitForSelector('[data-testid=earnings-total][data-currency=CNY]');
  const earnings = await total.textContent();
  check(Number.parseFloat(await total.getAttribute('data-amount')) >= Number.parseFloat(BONUS), `earnings include the bonus: ${earnings}`);

  // installed app, no network: the service worker serves the shell and the rider is still signed in
  await loser.context.setOffline(true);
  await loser.page.reload();
  await loser.page.waitForSelector('[data-testid=offers]:not([hidden])');
  check(await loser.page.evaluate(() => !!navigator.serviceWorker.controller), 'the page came from the service worker');
  check((await loser.page.getAttribute('[data-testid=connection-status]', 'data-state')) !== 'live', 'not live while offline');
  await loser.context.setOffline(false);
  await loser.page.waitForSelector('[data-testid=connection-status][data-state=live]');

  for (const p of phones) {
    const r = await p.report();
    check(r.csp.length === 0, `${p.username}: no CSP violation: ${r.csp}`);
    check(r.dialogs.length === 0, `${p.username}: no dialog: ${r.dialogs}`);
    check(p.errors.length === 0, `${p.username}: no page error: ${p.errors}`);
    check(!p.requested.some((u) => /\/x$/.test(u)), `${p.username}: the title made no request`);
  }
  say(`DONE ${JSON.stringify({ receipt: receiptText, completion, earnings })}`);
} catch (e) {
  failed = true;
  console.error(e.stack ?? String(e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
