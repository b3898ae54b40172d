// Opens a generated HTML report in Debian's Chromium (playwright-core from web/src/test/js,
// installed there by `npm ci`) and saves a full-page screenshot. Run by ReportScreenshotIT.
// Prints "BARS <n>" (bars drawn) and "SVGS <n>" (charts rendered with a size) before exiting 0.
const { chromium } = require(process.env.PLAYWRIGHT_CORE);

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    await page.goto(process.env.REPORT_URL, { waitUntil: 'load' });
    const bars = await page.locator('svg rect.bar').count();
    const svgs = await page.$$eval('svg', (all) => all.filter((s) => s.getBoundingClientRect().width > 100).length);
    console.log(`BARS ${bars}`);
    console.log(`SVGS ${svgs}`);
    console.log(`EXTERNAL ${requests.length}`);
    await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
