// A rider adds a phone app in the rider app (Chromium at 360×800), reads its key and setup once,
// then revokes it. Started by DevicesBrowserIT, which owns the stack and checks the database once
// this script has reported:
//
//   SETUP {json}   what the page showed: deviceId, key, the OwnTracks link and JSON, the Traccar
//                  Client server URL and settings text
//   ADMIN {json}   a second phone the rider added, which the admin console then revoked
//   DONE           both revoked and gone from the lists
//
// Along the way it asserts on the page: the hostile name shown as text, the key shown once (gone
// after "Done" and never in the list), the validation error for an empty name, no CSP violation,
// no dialog, no page error. Then the admin console's Users tab lists the rider's second phone and
// revokes it. Screenshots: rider-devices-setup.png, rider-devices-list.png, admin-user-devices.png.
//
// Environment: RIDER_URL, RIDER_USERNAME, RIDER_PASSWORD, DEVICE_NAME, ADMIN_URL, ADMIN_USERNAME,
// ADMIN_PASSWORD, SCREENSHOT_DIR, optional CHROMIUM, STEP_TIMEOUT_MS.

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
const USERNAME = need('RIDER_USERNAME');
const PASSWORD = need('RIDER_PASSWORD');
const NAME = need('DEVICE_NAME');
const SHOTS = need('SCREENSHOT_DIR');
const ADMIN_URL = need('ADMIN_URL');
const STEP_MS = Number(env.STEP_TIMEOUT_MS ?? 60_000);

const say = (line) => process.stdout.write(`${line}\n`);
function check(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

const browser = await chromium.launch({
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  const context = await browser.newContext({
    viewport: { width: 360, height: 800 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-US',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  const report = await watch(page);
  const errors = [];
  page.on('pageerror', (e) => {
    errors.push(String(e));
    console.error(`[page error] ${e}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') console.error(`[${m.type()}] ${m.text()}`);
  });
  // nothing leaves the machine (a hostile <img src=x> would request x)
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  await page.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname), (route) => route.abort());

  await page.goto(RIDER_URL);
  await page.fill('[data-testid=login-username]', USERNAME);
  await page.fill('[data-testid=login-password]', PASSWORD);
  await page.click('[data-testid=login-submit]');
  await page.click('[data-testid=tab-devices]');
  await page.waitForSelector('[data-testid=devices]:not([hidden])');
  check(await page.isVisible('#devices-empty'), 'no phones yet');

  // an empty name is refused on the page, a name with only spaces too
  await page.fill('[data-testid=device-name]', '   ');
  await page.click('[data-testid=device-create]');
  await page.waitForFunction(() => document.querySelector('[data-testid=device-error]').textContent.includes('Give the phone a name'));

  await page.fill('[data-testid=device-name]', NAME);
  await page.click('[data-testid=device-create]');
  await page.waitForSelector('[data-testid=device-setup]:not([hidden]) [data-testid=device-key]');
  const shown = await page.evaluate(() => {
    const text = (id) => document.querySelector(`[data-testid=${id}]`)?.textContent ?? null;
    return {
      key: text('device-key'),
      link: document.querySelector('[data-testid=owntracks-link]').getAttribute('href'),
      json: text('owntracks-json'),
      host: text('owntracks-host'),
      port: text('owntracks-port'),
      user: text('owntracks-user'),
      device: text('owntracks-device'),
      serverUrl: text('traccar-url'),
      settings: text('traccar-settings'),
      title: document.querySelector('#device-setup h2').textContent,
      hostileElements: document.querySelectorAll('#device-setup img, #device-setup b, #device-list img, #device-list b').length,
    };
  });
  check(/^[A-Za-z0-9_-]{43}$/.test(shown.key), `a 43-character base64url key: ${shown.key}`);
  check(shown.title.includes(NAME), `the setup names the phone as text: ${shown.title}`);
  check(shown.hostileElements === 0, 'the name is text, never markup');
  const config = JSON.parse(shown.json);
  check(config._type === 'configuration' && config.password === shown.key, 'the OwnTracks JSON carries the key');
  check(shown.link.startsWith('owntracks:///config?inline='), shown.link);
  const inline = decodeURIComponent(shown.link.slice('owntracks:///config?inline='.length));
  check(JSON.stringify(JSON.parse(Buffer.from(inline, 'base64').toString('utf8'))) === JSON.stringify(config),
    'the link imports the configuration shown');
  check(shown.settings.includes('10 s') && shown.settings.includes('0 m'), shown.settings);
  const listed = await page.textContent('[data-testid=device-list]');
  check(!listed.includes(shown.key), 'the list never shows the key');
  await page.waitForSelector('[data-testid=device][data-device-id]');
  const deviceId = await page.getAttribute('[data-testid=device]', 'data-device-id');
  // the setup card alone, in a viewport tall enough to hold it: a shot stitched from a scrolled
  // page would draw the sticky top bar across it
  await page.setViewportSize({ width: 360, height: 2400 });
  await page.locator('[data-testid=device-setup]').screenshot({ path: path.join(SHOTS, 'rider-devices-setup.png') });
  await page.setViewportSize({ width: 360, height: 800 });
  say(`SETUP ${JSON.stringify({ deviceId, ...shown, config })}`);

  // Done: the key is gone from the page for good
  await page.click('[data-testid=setup-done]');
  await page.waitForSelector('[data-testid=device-setup][hidden]', { state: 'attached' });
  check(!(await page.content()).includes(shown.key), 'the key is no longer anywhere in the page');

  // the list in Chinese, then revoke (two steps: no dialog)
  await page.click('[data-testid=lang-toggle]');
  await page.waitForFunction(() => document.querySelector('[data-testid=tab-devices]').textContent === '手机应用');
  check((await page.textContent('[data-testid=revoke]')) === '吊销', 'the revoke button in Chinese');
  await page.screenshot({ path: path.join(SHOTS, 'rider-devices-list.png'), fullPage: true });
  await page.click('[data-testid=lang-toggle]');
  await page.click('[data-testid=revoke]');
  await page.click('[data-testid=revoke-confirm]');
  await page.waitForFunction(() => document.querySelector('[data-testid=device-result]').dataset.result === 'done');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=device]').length === 0);
  check(await page.isVisible('#devices-empty'), 'no phones after the revocation');

  // a second phone, which an admin revokes from the console
  await page.fill('[data-testid=device-name]', 'Tablet 平板');
  await page.click('[data-testid=device-create]');
  await page.waitForSelector('[data-testid=device-setup]:not([hidden]) [data-testid=device-key]');
  await page.click('[data-testid=setup-done]');
  const second = await page.getAttribute('[data-testid=device]', 'data-device-id');

  const admin = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const consolePage = await admin.newPage();
  consolePage.setDefaultTimeout(STEP_MS);
  const adminReport = await watch(consolePage);
  consolePage.on('pageerror', (e) => {
    errors.push(`admin: ${e}`);
    console.error(`[admin page error] ${e}`);
  });
  await consolePage.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname), (route) => route.abort());
  await consolePage.goto(ADMIN_URL);
  await consolePage.fill('[data-testid=login-username]', need('ADMIN_USERNAME'));
  await consolePage.fill('[data-testid=login-password]', need('ADMIN_PASSWORD'));
  await consolePage.click('[data-testid=login-submit]');
  await consolePage.waitForSelector('body[data-signed-in]', { state: 'attached' });
  await consolePage.click('[data-testid=tab-users]');
  const riderRow = consolePage.locator(`[data-testid=user-row][data-username="${USERNAME}"]`);
  await riderRow.locator('[data-testid=user-devices]').click();
  const item = consolePage.locator(`[data-testid=device-item][data-device-id="${second}"]`);
  await item.waitFor();
  check((await item.textContent()).includes('Tablet 平板'), 'the admin sees the phone by name');
  check(!(await consolePage.content()).includes('"key"'), 'no key in the console');
  check((await consolePage.locator('[data-testid=device-item]').count()) === 1, 'the revoked phone is not listed');
  await item.scrollIntoViewIfNeeded();
  await consolePage.screenshot({ path: path.join(SHOTS, 'admin-user-devices.png') });
  await item.locator('[data-testid=device-revoke]').click();
  await item.locator('[data-testid=device-revoke]').click();
  await consolePage.waitForSelector('[data-testid=user-devices-empty]');
  check((await consolePage.textContent('[data-testid=user-result]')).includes('is revoked'), 'the console says so');
  const ar = await adminReport();
  check(ar.dialogs.length === 0 && ar.csp.length === 0, `admin: no dialog, no CSP violation: ${JSON.stringify(ar)}`);
  say(`ADMIN ${JSON.stringify({ deviceId: second })}`);

  // the rider's list follows
  await page.click('[data-testid=tab-offers]');
  await page.click('[data-testid=tab-devices]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=device]').length === 0);

  const r = await report();
  check(r.dialogs.length === 0, `no dialog: ${r.dialogs}`);
  check(r.csp.length === 0, `no CSP violation: ${r.csp}`);
  check(errors.length === 0, `no page error: ${errors}`);
  const outside = requested.filter((u) => !/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(u) && !u.startsWith('data:'));
  check(outside.length === 0, `nothing requested elsewhere: ${outside}`);
  say('DONE');
} catch (e) {
  failed = true;
  console.error(e.stack ?? String(e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
