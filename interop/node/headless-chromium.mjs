// Headless Chromium for the browser scripts (chromium.mjs, chat-chromium.mjs): Debian's
// /usr/bin/chromium (or WS_INTEROP_CHROMIUM) driven by playwright-core, with a fresh profile folder.
// launch() gives { context, close }; close() also removes the profile folder.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function launch() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'ws-interop-chromium-'));
  const remove = () => rmSync(userDataDir, { recursive: true, force: true });
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.WS_INTEROP_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    return {
      context,
      close: async () => {
        await context.close().catch(() => {});
        remove();
      },
    };
  } catch (error) {
    remove();
    throw error;
  }
}
