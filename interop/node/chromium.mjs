// Real headless Chromium (Debian's /usr/bin/chromium, driven with playwright-core) as a client of
// our server. Usage: node chromium.mjs PAGE_URL
// The page (chromium-page.html, served by our server's HttpHandler) runs the scenario; this script
// prints "extensions VALUE" (the browser's WebSocket.extensions), then "PASS name" or
// "FAIL name: why" per check, and exits 0 only when every check passed.
// WS_INTEROP_CHROMIUM chooses another browser executable.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url] = process.argv.slice(2);
if (!url) {
  console.log('FAIL usage: node chromium.mjs PAGE_URL');
  process.exit(2);
}
const executablePath = process.env.WS_INTEROP_CHROMIUM || '/usr/bin/chromium';
const userDataDir = mkdtempSync(join(tmpdir(), 'ws-interop-chromium-'));
let failures = 0;
const timer = setTimeout(() => {
  console.log('FAIL timeout: the scenario did not finish in 90 s');
  process.exit(1);
}, 90000);

let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', (message) => console.error(`console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  console.log(`browser ${context.browser()?.version() ?? 'chromium'}`);
  await page.goto(url);
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 80000 });
  const result = await page.evaluate(() => window.__result);
  console.log(`extensions ${result.extensions}`);
  for (const c of result.checks) {
    if (c.ok) {
      console.log(`PASS ${c.name}`);
    } else {
      failures++;
      console.log(`FAIL ${c.name}: ${c.why}`);
    }
  }
} catch (error) {
  failures++;
  console.log(`FAIL chromium: ${error.stack ?? error}`);
} finally {
  clearTimeout(timer);
  if (context) await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(failures === 0 ? 0 : 1);
