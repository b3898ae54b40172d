// Drives Debian's Chromium through the dashboard's Receipts view. Started by ReceiptsBrowserIT,
// which owns the stack and has already had a rider upload a receipt (RECEIPT_ID) that the OCR
// function read: this script signs in as the manager, opens Receipts, shows all statuses, opens
// the receipt, checks its image and fields are shown, picks the competing reading 12.40 with one
// click (the correction) and waits for "Saved".
// Then it opens Reports by keyboard and requests last week's report: the row says "generating…",
// then (the list polled) shows its download links.
// Prints DONE on success; any failure exits non-zero with the reason on stderr.
//
// Environment: DASHBOARD_URL, MANAGER_USERNAME, MANAGER_PASSWORD, RECEIPT_ID, AMOUNT (the amount
// OCR read), SCREENSHOT, optional CHROMIUM (default /usr/bin/chromium), STEP_TIMEOUT_MS.

import path from 'node:path';
import { chromium } from 'playwright-core';
import { blur, tabTo, watch } from './page-checks.mjs';

const env = process.env;
const need = (name) => {
  const v = env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const STEP_MS = Number(env.STEP_TIMEOUT_MS ?? 60_000);

const browser = await chromium.launch({
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(STEP_MS);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') console.error(`[console] ${m.text()}`); });

  const seen = await watch(page);
  await page.goto(need('DASHBOARD_URL'));
  await page.waitForSelector('body[data-ready=true]');
  await page.fill('[data-testid=login-username]', need('MANAGER_USERNAME'));
  await page.fill('[data-testid=login-password]', need('MANAGER_PASSWORD'));
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=receipts-toggle]:visible');

  // by keyboard: Tab to the Receipts button (focus visible), Enter opens the view
  await blur(page);
  await tabTo(page, 'receipts-toggle');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=receipts-view]:visible');
  await page.selectOption('[data-testid=receipts-status]', '');
  const item = `[data-testid=receipt-item][data-id="${need('RECEIPT_ID')}"]`;
  await page.click(item);
  await page.waitForFunction(() => {
    const img = document.querySelector('img[data-testid=receipt-image]');
    return img && img.complete && img.naturalWidth > 0;
  });
  const shown = await page.textContent('[data-testid=receipt-amount]');
  if (!shown.includes(need('AMOUNT'))) throw new Error(`the amount read is shown: got "${shown}"`);

  // The readings competed: cash − change gives 12.40 against the TOTAL line's figure. One click on
  // that reading makes it the correction (with the currency and note typed first).
  const pick = '[data-testid=receipt-reading][data-amount="12.40"]';
  await page.waitForSelector(pick);
  await page.fill('[data-testid=correct-currency]', 'USD');
  await page.fill('[data-testid=correct-note]', 'corrected in the browser test');
  await page.click(pick);
  await page.waitForFunction(() => document.querySelector('[data-testid=receipt-message]')?.textContent.includes('Saved'));
  const after = await page.textContent('[data-testid=receipt-amount]');
  if (!after.includes('12.40 USD')) throw new Error(`the corrected amount is shown: got "${after}"`);
  await page.screenshot({ path: need('SCREENSHOT'), fullPage: true });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: path.join(path.dirname(need('SCREENSHOT')), 'receipts-review-1920x1080.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.click('[data-testid=receipts-toggle]');
  await page.waitForSelector('#board:visible');

  // The Reports view, by keyboard too: generate last week's report and see it listed.
  await blur(page);
  await tabTo(page, 'reports-toggle');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=reports-view]:visible');
  await tabTo(page, 'report-generate');
  // POST /reports answers 202: the row shows "generating…" first, then (the list polled) its links
  await page.evaluate(() => {
    window.__reportStates = [];
    const rows = document.querySelector('[data-testid=report-rows]');
    new MutationObserver(() => {
      for (const row of rows.querySelectorAll('[data-testid=report-row]')) {
        const state = row.querySelector('[data-testid=report-generating]') ? 'generating'
          : row.querySelector('[data-testid=report-download-csv]') ? 'links' : 'other';
        const last = window.__reportStates.at(-1);
        if (last?.id !== row.dataset.reportId || last?.state !== state) window.__reportStates.push({ id: row.dataset.reportId, state });
      }
    }).observe(rows, { childList: true, subtree: true });
  });
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=report-row] [data-testid=report-generating]');
  const generatingText = await page.textContent('[data-testid=report-row] [data-testid=report-generating]');
  if (generatingText !== 'generating…') throw new Error(`the pending row says "${generatingText}"`);
  const shots = path.dirname(need('SCREENSHOT'));
  await page.screenshot({ path: path.join(shots, 'reports-generating.png') });
  await page.waitForFunction(() => /is ready/.test(document.querySelector('[data-testid=report-message]')?.textContent ?? ''));
  await page.waitForSelector('[data-testid=report-row] [data-testid=report-download-csv]');
  // the same row went from "generating…" to its links, without a reload
  const states = await page.evaluate(() => window.__reportStates);
  const requested = states.find((s) => s.state === 'generating')?.id;
  const requestedStates = states.filter((s) => s.id === requested).map((s) => s.state);
  if (!requested || requestedStates.at(-1) !== 'links') {
    throw new Error(`the requested report did not go from generating to links: ${JSON.stringify(states)}`);
  }
  if (await page.$('[data-testid=report-generating]')) throw new Error('a row still says generating');
  const reportsShot = path.join(shots, 'reports.png');
  await page.screenshot({ path: reportsShot });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: reportsShot.replace(/\.png$/, '-1920x1080.png') });
  await page.setViewportSize({ width: 1280, height: 800 });
  const { dialogs, csp } = await seen();
  problems.push(...dialogs.map((d) => `dialog: ${d}`), ...csp.map((c) => `CSP violation: ${c}`));
  if (problems.length) throw new Error(problems.join('\n'));
  process.stdout.write('DONE\n');
} catch (e) {
  failed = true;
  console.error(e?.stack ?? String(e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
