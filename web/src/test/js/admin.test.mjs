// Drives Debian's Chromium through the admin console. Started by AdminConsoleBrowserIT, which owns
// the stack and checks what was stored through the API once this script has reported:
//
//   ROUTE {json}      the route drawn with 7 clicks (one vertex then dragged) and 2 checkpoints, as
//                     saved: its id, the WGS-84 positions the clicked screen points stand for
//                     (containerPointToLatLng in the page), the checkpoints' and the length shown
//   CLAIM_MS n        a rider claimed a published task through the API; the board showed it claimed
//                     n ms later with no reload
//   ROUTE_GCJ {json}  the same kind of drawing with the GCJ-02 display on: its id, the intended
//                     WGS-84 positions and the GCJ-02 ones that were clicked
//   DONE
//
// Along the way it asserts on the page: the live length, the API's rules inline, the hostile route
// name and task title shown as text (no element made from them, no dialog), 3 open tasks on the
// board, the cancel reason in the audit trail, GPX/GeoJSON/KML import (and GeoJSON export) of the
// files in src/test/resources/admin. Screenshots: admin-route-designer.png, admin-task-board.png.
//
// Environment: ADMIN_URL, API_URL, ADMIN_USERNAME, ADMIN_PASSWORD, RIDER_TOKEN, RIDER_NAME,
// SCREENSHOT_DIR, RESOURCES (folder of the import files), optional CHROMIUM, STEP_TIMEOUT_MS.

import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { blur, tabTo, watch } from './page-checks.mjs';

const env = process.env;
const need = (name) => {
  const v = env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const ADMIN_URL = need('ADMIN_URL');
const API_URL = need('API_URL');
const SHOTS = need('SCREENSHOT_DIR');
const RESOURCES = need('RESOURCES');
const STEP_MS = Number(env.STEP_TIMEOUT_MS ?? 60_000);
const HOSTILE = '<img src=x onerror=alert(1)><b>bold</b>';

const say = (line) => process.stdout.write(`${line}\n`);
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
    await new Promise((r) => setTimeout(r, 50));
  }
}

const browser = await chromium.launch({
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  const pageErrors = [];
  const report = await watch(page);
  page.on('pageerror', (e) => {
    pageErrors.push(String(e));
    console.error(`[page error] ${e}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') console.error(`[page ${m.type()}] ${m.text()}`);
  });
  // A request for x (the hostile <img src=x>) would mean the name became markup.
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  await page.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname), (route) => route.abort());

  await page.goto(ADMIN_URL);
  await page.fill('[data-testid=login-username]', need('ADMIN_USERNAME'));
  await page.fill('[data-testid=login-password]', need('ADMIN_PASSWORD'));
  await page.click('[data-testid=login-submit]');
  await until('signed in', async () => {
    if (await page.getAttribute('body', 'data-signed-in')) return true;
    const err = await page.textContent('[data-testid=login-error]');
    if (err) throw new Error(`sign-in failed: ${err}`);
    return false;
  });
  await page.evaluate(() => { window.__sameDocument = true; });

  const mapBox = await page.locator('#map').boundingBox();
  /** Clicks the map at container point (x, y); returns the position that point stands for. */
  const clickMap = async (x, y) => {
    await page.mouse.click(mapBox.x + x, mapBox.y + y);
    return page.evaluate(([px, py]) => {
      const ll = window.tracklaneAdmin.map.containerPointToLatLng([px, py]);
      return [ll.lat, ll.lng];
    }, [x, y]);
  };
  const vertexCount = () => page.locator('[data-testid=vertex]').count();

  // ---- 1. the designer: 7 clicks, a drag, a right-click delete, undo/redo, 2 checkpoints ---------
  await page.evaluate(() => window.tracklaneAdmin.map.setView([31.2304, 121.4737], 18, { animate: false }));
  await page.fill('[data-testid=route-name]', HOSTILE);
  const clicks = [[150, 150], [300, 200], [420, 170], [560, 260], [650, 420], [760, 480], [820, 600]];
  const expected = [];
  for (const [x, y] of clicks) expected.push(await clickMap(x, y));
  check(await vertexCount() === 7, `7 vertices after 7 clicks, got ${await vertexCount()}`);
  // right-click deletes the last vertex; undo brings it back, redo deletes it again, undo again
  await page.locator('[data-testid=vertex][data-index="6"]').click({ button: 'right' });
  check(await vertexCount() === 6, 'right-click deleted a vertex');
  await page.click('[data-testid=undo]');
  check(await vertexCount() === 7, 'undo restored it');
  await page.click('[data-testid=redo]');
  check(await vertexCount() === 6, 'redo deleted it again');
  await page.click('[data-testid=undo]');
  check(await vertexCount() === 7, 'undo restored it again');
  // drag vertex 3 by (+40, +70) px; where it lands is its old exact screen point plus the drag
  const grab = await page.evaluate(([lat, lon]) => {
    const p = window.tracklaneAdmin.map.latLngToContainerPoint([lat, lon]);
    return [p.x, p.y];
  }, expected[2]);
  const from = [Math.round(grab[0]), Math.round(grab[1])];
  await page.mouse.move(mapBox.x + from[0], mapBox.y + from[1]);
  await page.mouse.down();
  for (let k = 1; k <= 10; k++) await page.mouse.move(mapBox.x + from[0] + 4 * k, mapBox.y + from[1] + 7 * k);
  await page.mouse.up();
  expected[2] = await page.evaluate(([x, y]) => {
    const ll = window.tracklaneAdmin.map.containerPointToLatLng([x, y]);
    return [ll.lat, ll.lng];
  }, [from[0] + 40, from[1] + 70]); // a marker sits on a whole pixel; the drag moves it by whole pixels
  check(await vertexCount() === 7, 'dragging keeps 7 vertices');
  // checkpoints at the middle of the 1st and 5th segments (on screen)
  await page.check('[data-testid=mode-checkpoint]');
  const mid = (a, b) => [(clicks[a][0] + clicks[b][0]) / 2, (clicks[a][1] + clicks[b][1]) / 2];
  const cps = [await clickMap(...mid(0, 1)), await clickMap(...mid(4, 5))];
  await page.check('[data-testid=mode-vertex]');
  check(await page.locator('[data-testid=checkpoint]').count() === 2, 'two checkpoints listed');
  await page.fill('[data-testid=cp-name-0]', 'Gate <b>A</b>');
  await page.fill('[data-testid=cp-radius-0]', '30');
  // the API's rule, inline: 30 m is below the radius a rider is sure to reach (a warning)
  const warning = await page.textContent('[data-testid=error-cp-0]');
  check(/30 m is below the 49 m a rider at 8 m\/s/.test(warning), `radius warning shown inline: ${warning}`);
  await page.fill('[data-testid=cp-radius-0]', '60');
  check((await page.textContent('[data-testid=error-cp-0]')) === '', 'no message at 60 m');
  // swap the checkpoints: out of route order, said next to the checkpoint
  await page.locator('[data-testid=checkpoint]').nth(0).getByRole('button', { name: /later/ }).click();
  const order = await page.textContent('[data-testid=error-cp-1]');
  check(/is out of route order/.test(order), `order rule shown inline: ${order}`);
  await page.click('[data-testid=sort-checkpoints]');
  check((await page.inputValue('[data-testid=cp-name-0]')) === 'Gate <b>A</b>', 'ordered along the line again');
  check((await page.textContent('[data-testid=error-cp-1]')) === '', 'no order message once sorted');

  // the hostile name is text in the designer, in the route list after saving, and in a tooltip
  check((await page.textContent('[data-testid=route-title]')) === HOSTILE, 'route name shown literally');
  check(await page.locator('#view-designer img, #view-designer b, .leaflet-tooltip b').count() === 0, 'no element made from a name');
  await page.locator('[data-testid=checkpoint-marker]').first().hover();
  const tips = await until('the checkpoint tooltip', async () => {
    const all = await page.locator('[data-testid=cp-tooltip]').allTextContents();
    return all.includes('Gate <b>A</b>') ? all : null;
  });
  check(await page.locator('.leaflet-tooltip b').count() === 0, `tooltips show names as text: ${tips}`);
  const shownLength = Number(await page.getAttribute('[data-testid=route-length]', 'data-length-m'));
  check(shownLength > 100, `a live length: ${shownLength}`);
  await page.screenshot({ path: path.join(SHOTS, 'admin-route-designer.png') });

  // a third checkpoint 150 px (~75 m) off the line: the rule says so at once; saving anyway, the
  // API refuses and its error is shown next to that checkpoint
  await page.check('[data-testid=mode-checkpoint]');
  await clickMap(clicks[3][0] + 150, clicks[3][1] - 110);
  await page.check('[data-testid=mode-vertex]');
  const local = await page.textContent('[data-testid=error-cp-2]');
  check(/from the route, farther than its radiusM \(50 m\)/.test(local), `off-line checkpoint flagged: ${local}`);
  await page.click('[data-testid=save-route]');
  await until('the API refusal', async () => /^Not saved/.test(await page.textContent('[data-testid=save-result]')));
  check(await page.getAttribute('[data-testid=error-cp-2]', 'data-api') === 'true', 'the API named checkpoints[2]');
  const apiMsg = await page.textContent('[data-testid=error-cp-2]');
  check(apiMsg === local, `the API's message is the one shown: ${apiMsg} vs ${local}`);
  await page.click('[data-testid=cp-delete-2]');
  check(await page.locator('[data-testid=checkpoint]').count() === 2, 'back to two checkpoints');

  await page.click('[data-testid=save-route]');
  const routeId = await until('the saved route', () => page.getAttribute('[data-testid=save-result]', 'data-route-id'));
  const savedText = await page.textContent('[data-testid=save-result]');
  check(savedText.includes(HOSTILE), `save result names the route as text: ${savedText}`);
  const option = await page.locator(`[data-testid=route-pick] option[value="${routeId}"]`).textContent();
  check(option.startsWith(HOSTILE), `route list shows the name as text: ${option}`);
  say(`ROUTE ${JSON.stringify({ id: routeId, expected, checkpoints: cps, lengthM: shownLength })}`);

  // ---- 2. publish 3 tasks with a bonus -----------------------------------------------------------
  await page.click('[data-testid=tab-publish]');
  await page.selectOption('[data-testid=pub-route]', routeId);
  await until('the preview on the map', async () => (await page.locator('.leaflet-overlay-pane path').count()) > 0);
  await page.fill('[data-testid=pub-title]', HOSTILE);
  await page.fill('[data-testid=pub-bonus]', '12.50');
  await page.fill('[data-testid=pub-currency]', 'CNY');
  await page.fill('[data-testid=pub-count]', '3');
  // a bad currency first: the API's message appears next to the field
  await page.fill('[data-testid=pub-currency]', 'XYZ');
  await page.click('[data-testid=pub-submit]');
  const curErr = await until('the currency error', async () => page.textContent('[data-field=bonusCurrency] .field-msg'));
  check(/ISO 4217/.test(curErr), `currency error next to the field: ${curErr}`);
  await page.fill('[data-testid=pub-currency]', 'CNY');
  await page.click('[data-testid=pub-submit]');
  const taskIds = (await until('3 published tasks', () => page.getAttribute('[data-testid=pub-result]', 'data-task-ids'))).split(',');
  check(taskIds.length === 3, `3 tasks published: ${taskIds}`);

  // ---- 3. the board: 3 open; a rider's claim shows within 2 s; cancel with a reason; audit -------
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.click('[data-testid=tab-board]');
  const card = (id) => page.locator(`[data-testid=task-card][data-task-id="${id}"]`);
  await until('3 open cards', async () => {
    for (const id of taskIds) if ((await card(id).getAttribute('data-status')) !== 'open') return false;
    return true;
  });
  for (const id of taskIds) {
    check((await card(id).locator('[data-testid=task-title]').textContent()) === HOSTILE, 'task title shown literally');
    check((await card(id).locator('[data-testid=task-route]').textContent()) === `Route: ${HOSTILE}`, 'route name on the card');
  }
  check(await page.locator('#board-columns img, #board-columns b').count() === 0, 'no element made from a title');
  check(await page.locator(`[data-testid=column-open] [data-testid=task-card]`).count() >= 3, 'the open column');
  await until('the live stream', async () => (await page.getAttribute('[data-testid=connection-status]', 'data-state')) === 'live');

  const claim = await fetch(`${API_URL}/tasks/${taskIds[0]}/claim`, { method: 'POST', headers: { Authorization: `Bearer ${need('RIDER_TOKEN')}` } });
  check(claim.status === 200, `the rider's claim: ${claim.status} ${await claim.text()}`);
  const claimedAt = Date.now();
  await until('the card in the claimed column', async () => (await card(taskIds[0]).getAttribute('data-status')) === 'claimed'
    && (await page.locator(`[data-testid=column-claimed] [data-task-id="${taskIds[0]}"]`).count()) === 1, 2000);
  const claimMs = Date.now() - claimedAt;
  check(await page.evaluate(() => window.__sameDocument === true), 'no reload');
  const claimedText = await card(taskIds[0]).locator('[data-testid=task-claimed]').textContent();
  check(claimedText.includes(need('RIDER_NAME')), `who claimed: ${claimedText}`);
  say(`CLAIM_MS ${claimMs}`);

  const reason = 'Road closed <script>x</script> for the parade';
  await card(taskIds[1]).locator('[data-testid=task-cancel]').click();
  await card(taskIds[1]).locator('[data-testid=cancel-reason]').fill(reason);
  await card(taskIds[1]).locator('[data-testid=cancel-confirm]').click();
  await until('the cancelled card', async () => (await page.locator(`[data-testid=column-cancelled] [data-task-id="${taskIds[1]}"]`).count()) === 1);
  check((await card(taskIds[1]).locator('[data-testid=task-cancel-reason]').textContent()) === `Cancelled: ${reason}`, 'the reason on the card');
  await card(taskIds[1]).locator('[data-testid=task-audit]').click();
  const audit = await until('the audit trail', async () => {
    const items = await page.locator('[data-testid=audit-event]').allTextContents();
    return items.some((t) => t.includes('cancel')) ? items : null;
  });
  check(audit.some((t) => t.includes(reason) && t.includes('open → cancelled')), `the audit shows the cancel and its reason: ${audit.join(' | ')}`);
  check((await page.textContent('[data-testid=audit-task]')) === HOSTILE, 'audit names the task as text');
  await page.screenshot({ path: path.join(SHOTS, 'admin-task-board.png') });

  // ---- an edit while a rider has the route: a new version, and the open task moves to it ---------
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.click('[data-testid=tab-designer]');
  await page.selectOption('[data-testid=route-pick]', routeId);
  await until('the route loaded', async () => (await vertexCount()) === 7);
  const moving = await until('the open tasks that follow an edit', async () => {
    const items = await page.locator('[data-testid=moving-tasks] li').allTextContents();
    return items.length ? items : null;
  });
  check(moving.length === 1 && moving[0] === HOSTILE, `one open task listed: ${moving}`);
  await page.fill('[data-testid=cp-radius-1]', '70');
  await page.click('[data-testid=save-route]');
  const versioned = await until('version 2', async () => {
    const t = await page.textContent('[data-testid=save-result]');
    return /version 2/.test(t) ? t : null;
  });
  check(/the rider keeps the old one/.test(versioned), `a new version: ${versioned}`);
  const newRouteId = await page.getAttribute('[data-testid=save-result]', 'data-route-id');
  check(newRouteId !== routeId, 'a new route id');
  const moved = await until('the moved tasks', async () => {
    const lead = await page.textContent('[data-testid=moves]');
    const items = await page.locator('[data-testid=moving-tasks] li').allTextContents();
    return lead.includes('moved to version 2') && items.length ? items : null;
  });
  check(moved.length === 1 && moved[0] === HOSTILE, `the open task moved: ${moved}`);
  say(`VERSION ${JSON.stringify({ from: routeId, to: newRouteId, claimed: taskIds[0], open: taskIds[2] })}`);

  // ---- users: create a rider with a one-time password, deactivate, reset ------------------------
  await page.click('[data-testid=tab-users]');
  const username = `rider-${Date.now()}`;
  await page.fill('[data-testid=user-username]', username);
  await page.fill('[data-testid=user-display]', HOSTILE);
  await page.selectOption('[data-testid=user-role]', 'rider');
  await page.click('[data-testid=user-create]');
  const otp = await until('the one-time password', () => page.textContent('[data-testid=otp-value]'));
  check(/^[A-Za-z2-9]{16}$/.test(otp), `a 16-character one-time password: ${otp}`);
  const loginAs = (u, p) => fetch(`${API_URL}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: u, password: p }) });
  check((await loginAs(username, otp)).status === 200, 'the new rider signs in with it');
  await page.click('[data-testid=otp-done]');
  check(await page.locator('[data-testid=otp]').isHidden() && (await page.textContent('[data-testid=otp-value]')) === '', 'shown once: hidden and forgotten');
  const row = page.locator(`[data-testid=user-row][data-username="${username}"]`);
  await until('the user listed', async () => (await row.count()) === 1);
  check((await row.locator('td').nth(1).textContent()) === HOSTILE, 'display name shown literally');
  await row.locator('[data-testid=user-toggle]').click();
  await until('deactivated', async () => (await row.locator('[data-testid=user-status]').textContent()) === 'inactive');
  check((await loginAs(username, otp)).status === 401, 'a deactivated user cannot sign in');
  await row.locator('[data-testid=user-toggle]').click();
  await until('active again', async () => (await row.locator('[data-testid=user-status]').textContent()) === 'active');
  await row.locator('[data-testid=user-reset]').click();
  const otp2 = await until('a new one-time password', async () => {
    const v = await page.textContent('[data-testid=otp-value]');
    return v && v !== otp ? v : null;
  });
  check((await loginAs(username, otp2)).status === 200, 'the reset password works');
  check((await loginAs(username, otp)).status === 401, 'the old one does not');
  await page.click('[data-testid=otp-done]');
  // a bad username: the API's rule next to the field
  await page.fill('[data-testid=user-username]', 'x');
  await page.fill('[data-testid=user-display]', 'Someone');
  await page.click('[data-testid=user-create]');
  const userErr = await until('the username rule', () => page.textContent('[data-field=username] .field-msg'));
  // the OpenAPI validation or the handler: either names the field
  check(/pattern|must be 3 to 64 characters/.test(userErr), `username rule next to the field: ${userErr}`);
  check(await page.locator('#view-users img, #view-users b').count() === 0, 'no element made from a display name');

  // ---- 4. GCJ-02 display: clicks on the shifted map are stored as the intended WGS-84 ------------
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.click('[data-testid=tab-designer]');
  await page.selectOption('[data-testid=route-pick]', '');
  await page.check('[data-testid=gcj02-toggle]');
  await page.fill('[data-testid=route-name]', 'GCJ-02 drawn');
  const intended = [[31.2290, 121.4700], [31.2296, 121.4708], [31.2293, 121.4716], [31.2301, 121.4724], [31.2309, 121.4730], [31.2312, 121.4738]];
  const shown = await page.evaluate(async (pts) => {
    const { wgs84ToGcj02 } = await import(new URL('../shared/gcj02.js', location.href).href);
    const g = pts.map(([lat, lon]) => wgs84ToGcj02(lat, lon));
    const map = window.tracklaneAdmin.map;
    map.fitBounds(g, { padding: [60, 60], maxZoom: 18, animate: false });
    map.setZoom(18, { animate: false });
    return g.map((ll) => {
      const p = map.latLngToContainerPoint(ll);
      return { gcj: ll, x: p.x, y: p.y };
    });
  }, intended);
  for (const s of shown) {
    check(s.x > 5 && s.y > 5 && s.x < mapBox.width - 5 && s.y < mapBox.height - 5, `point on screen: ${JSON.stringify(s)}`);
    await page.mouse.click(mapBox.x + s.x, mapBox.y + s.y);
  }
  check(await vertexCount() === 6, 'six vertices drawn on the GCJ-02 map');
  await page.click('[data-testid=save-route]');
  const gcjRouteId = await until('the saved GCJ-02 route', async () => {
    const id = await page.getAttribute('[data-testid=save-result]', 'data-route-id');
    return id && id !== routeId && id !== newRouteId ? id : null;
  });
  say(`ROUTE_GCJ ${JSON.stringify({ id: gcjRouteId, intended, clicked: shown.map((s) => s.gcj) })}`);
  await page.uncheck('[data-testid=gcj02-toggle]');

  // ---- 5. import GPX, GeoJSON and KML; export GeoJSON --------------------------------------------
  const line = [[121.4700, 31.2300], [121.4720, 31.2310], [121.4745, 31.2308], [121.4760, 31.2325], [121.4781, 31.2331]];
  for (const [file, cpName, radius] of [['route.gpx', 'Gate <b>GPX</b>', 50], ['route.geojson', 'Gate <b>GeoJSON</b>', 60], ['route.kml', 'Gate <b>KML</b>', 50]]) {
    await page.selectOption('[data-testid=route-pick]', '');
    await page.setInputFiles('[data-testid=import-file]', path.join(RESOURCES, file));
    const msg = await until(`${file} imported`, async () => {
      const t = await page.textContent('[data-testid=import-msg]');
      return t.includes(file) ? t : null;
    });
    check(msg === `Imported 5 points and 1 checkpoints from ${file}.`, `${file}: ${msg}`);
    check(await vertexCount() === 5, `${file}: 5 vertices on the map`);
    check((await page.inputValue('[data-testid=route-name]')).startsWith('Bund loop'), `${file}: the name`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export]')]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    const coords = exported.features[0].geometry.coordinates;
    check(JSON.stringify(coords) === JSON.stringify(line), `${file}: exported line ${JSON.stringify(coords)}`);
    const cp = exported.features[1];
    check(cp.properties.name === cpName && cp.properties.radiusM === radius
      && JSON.stringify(cp.geometry.coordinates) === JSON.stringify([121.4720, 31.2310]), `${file}: exported checkpoint ${JSON.stringify(cp)}`);
    check(await page.locator('[data-testid=checkpoint]').count() === 1, `${file}: one checkpoint listed`);
  }
  // an unusable file is refused with its name and why
  const beforeBroken = (await report()).csp.length;
  await page.setInputFiles('[data-testid=import-file]', { name: 'broken.kml', mimeType: 'application/xml', buffer: Buffer.from('<kml><Placemark>') });
  const broken = await until('the refusal', async () => {
    const t = await page.textContent('[data-testid=import-msg]');
    return t.includes('broken.kml') ? t : null;
  });
  check(/broken\.kml: not well-formed KML/.test(broken), `refused: ${broken}`);

  // a position in [lat, lon] order: named next to its vertex, by the rules and then by the API
  const swappedLine = { type: 'LineString', coordinates: [[121.4700, 31.2300], [31.2310, 121.4720], [121.4745, 31.2308]] };
  await page.selectOption('[data-testid=route-pick]', '');
  await page.setInputFiles('[data-testid=import-file]', { name: 'swapped.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(swappedLine)) });
  const vertexError = page.locator('[data-testid=vertex-errors] li[data-field="geometry.coordinates[1]"]');
  const vText = await until('the vertex error', async () => ((await vertexError.count()) === 1 ? vertexError.textContent() : null));
  check(vText === 'Vertex 2: latitude 121.472 is outside [-90, 90]; GeoJSON positions are [longitude, latitude]: are these two swapped?', `vertex error: ${vText}`);
  await page.fill('[data-testid=route-name]', 'swapped');
  await page.click('[data-testid=save-route]');
  await until('the API naming the vertex', async () => (await vertexError.getAttribute('data-api')) === 'true');
  check(await vertexError.count() === 1, 'one message for the vertex (the rule and the API agree)');
  check(await page.locator('.vertex-icon.bad').count() === 1, 'the vertex is marked on the map');
  await page.selectOption('[data-testid=route-pick]', '');

  // ---- keyboard: the sections and the designer's controls are reachable and show focus ----------
  await blur(page);
  await tabTo(page, 'tab-board');
  await page.focus('[data-testid=route-name]');
  await tabTo(page, 'mode-vertex');
  await tabTo(page, 'clear-line');
  await tabTo(page, 'save-route');
  await page.click('[data-testid=tab-users]');
  await blur(page);
  await tabTo(page, 'user-reset');

  const { dialogs, csp } = await report();
  check(dialogs.length === 0, `no dialog opened: ${dialogs}`);
  // Chromium's report of a malformed XML file is a <parsererror> element with a style attribute,
  // which the policy blocks (in a detached document, nothing shown): the one violation allowed.
  const unexpected = csp.filter((v, i) => i < beforeBroken || !/^style-src-attr blocked inline at .*\/admin\/geo-io\.js:/.test(v));
  check(unexpected.length === 0, `no Content-Security-Policy violation: ${unexpected.join('; ')}`);
  check(!requested.some((u) => /\/x$/.test(u)), `no request for the hostile <img src=x>: ${requested.filter((u) => /\/x$/.test(u))}`);
  check(pageErrors.length === 0, `no page errors: ${pageErrors.join('; ')}`);
  say('DONE');
} catch (e) {
  failed = true;
  console.error(e?.stack ?? String(e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
