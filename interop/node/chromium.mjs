// Real headless Chromium (Debian's /usr/bin/chromium, driven with playwright-core) as a client of
// our server. Usage: node chromium.mjs PAGE_URL
// The page (chromium-page.html, served by our server's HttpHandler) runs the scenario; this script
// prints "extensions VALUE" (the browser's WebSocket.extensions), then "PASS name" or
// "FAIL name: why" per check, and exits 0 only when every check passed.
// WS_INTEROP_CHROMIUM chooses another browser executable.
import { launch } from './headless-chromium.mjs';
import { check, failed } from './checks.mjs';

const [url] = process.argv.slice(2);
if (!url) {
  console.log('FAIL usage: node chromium.mjs PAGE_URL');
  process.exit(2);
}
const timer = setTimeout(() => {
  console.log('FAIL timeout: the scenario did not finish in 90 s');
  process.exit(1);
}, 90000);

let browser;
try {
  browser = await launch();
  const { context } = browser;
  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', (message) => console.error(`console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  console.log(`browser ${context.browser()?.version() ?? 'chromium'}`);
  await page.goto(url);
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 80000 });
  const result = await page.evaluate(() => window.__result);
  console.log(`extensions ${result.extensions}`);
  for (const c of result.checks) {
    check(c.name, c.ok, c.why);
  }
} catch (error) {
  check('chromium', false, error.stack ?? error);
} finally {
  clearTimeout(timer);
  if (browser) await browser.close();
}
process.exit(failed() === 0 ? 0 : 1);
