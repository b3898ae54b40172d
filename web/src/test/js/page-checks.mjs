// Checks every browser test of the pages shares: keyboard reach with a visible focus, the
// Content-Security-Policy kept (no violation reported), no dialog opened by the page.

/**
 * Presses Tab until the element with data-testid `testid` (and, when given, the attribute
 * `attr[0]` equal to `attr[1]`) has the focus, at most `max` times, and checks the focus is
 * visible: an outline of at least 2 px, or a box shadow.
 */
export async function tabTo(page, testid, { attr = null, max = 80 } = {}) {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate((name) => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const cs = getComputedStyle(e);
      return {
        testid: e.dataset?.testid ?? null, value: name ? e.getAttribute(name) : null,
        outline: cs.outlineStyle, width: cs.outlineWidth, shadow: cs.boxShadow,
      };
    }, attr?.[0] ?? null);
    if (f?.testid === testid && (!attr || f.value === attr[1])) {
      const visible = (f.outline !== 'none' && parseFloat(f.width) >= 2) || (f.shadow && f.shadow !== 'none');
      if (!visible) throw new Error(`the keyboard focus on ${testid} is not visible: ${JSON.stringify(f)}`);
      return i;
    }
  }
  throw new Error(`${testid} was not reached with ${max} presses of Tab`);
}

/** Takes the focus off everything: the next Tab starts at the top of the page. */
export async function blur(page) {
  await page.evaluate(() => document.activeElement?.blur());
}

/**
 * Records Content-Security-Policy violations and dialogs (alert, confirm, prompt) from the start;
 * returns a function that lists them.
 */
export async function watch(page) {
  const dialogs = [];
  page.on('dialog', async (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return async () => ({
    dialogs,
    csp: await page.evaluate(() => window.__cspViolations ?? []),
  });
}
