// Two pages of the chat demo (`ws chat`, our server) in real headless Chromium (Debian's
// /usr/bin/chromium, driven with playwright-core). Usage: node chat-chromium.mjs CHAT_URL
// alice and bob join the lobby and see each other; alice's connection is dropped by the server
// (this script prints "drop alice" and the Java test aborts the connection whose URL has tab=alice);
// while alice is reconnecting, bob types three messages; once alice is back (the session recovered),
// she shows each of them exactly once, and what she types then reaches bob.
// Prints "PASS name" or "FAIL name: why" per check; exits 0 only when every check passed.
import { launch } from './headless-chromium.mjs';
import { check, failed } from './checks.mjs';

const [url] = process.argv.slice(2);
const timer = setTimeout(() => {
  console.log('FAIL timeout: the scenario did not finish in 100 s');
  process.exit(1);
}, 100000);

const status = (page) => page.$eval('#status', (e) => e.className + ' ' + e.textContent);
const users = (page) => page.$$eval('#users li', (items) => items.map((i) => i.textContent));
const texts = (page) => page.$$eval('#messages li[data-id]', (items) => items.map((i) => i.textContent));
async function say(page, text) {
  await page.fill('#text', text);
  await page.click('#send');
}
async function waitForText(page, text) {
  await page.waitForFunction((t) => [...document.querySelectorAll('#messages li[data-id]')]
    .some((li) => li.textContent.endsWith(t)), text, { timeout: 20000 });
}

let browser;
try {
  browser = await launch();
  const { context } = browser;
  const alice = context.pages()[0] ?? await context.newPage();
  const bob = await context.newPage();
  for (const [who, page] of [['alice', alice], ['bob', bob]]) {
    page.on('console', (message) => console.error(`${who} console.${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => console.error(`${who} page error: ${error.message}`));
  }
  console.log(`browser ${context.browser()?.version() ?? 'chromium'}`);
  // alice reconnects 3 s after a drop, so that bob's messages surely go out while she is away
  await alice.goto(`${url}?name=alice&tab=alice&delay=3000`);
  await bob.goto(`${url}?name=bob&tab=bob`);
  for (const page of [alice, bob]) {
    await page.waitForFunction(() => document.querySelectorAll('#users li').length === 2, null, { timeout: 20000 });
  }
  check('presence', JSON.stringify(await users(alice)) === '["alice","bob"]'
    && JSON.stringify(await users(bob)) === '["alice","bob"]', `${await users(alice)} / ${await users(bob)}`);

  await say(alice, 'hello from alice');
  await waitForText(bob, 'hello from alice');
  await waitForText(alice, 'hello from alice');
  check('messages reach the room', true);

  console.log('drop alice');
  await alice.waitForFunction(() => document.getElementById('status').className.includes('reconnecting'), null,
    { timeout: 20000 });
  check('alice shows reconnecting', (await status(alice)).includes('reconnecting'), await status(alice));
  await bob.waitForFunction(() => document.querySelectorAll('#users li').length === 1, null, { timeout: 20000 });
  check('bob sees alice leave', JSON.stringify(await users(bob)) === '["bob"]', await users(bob));

  const missed = ['missed one', 'missed two', 'missed three'];
  for (const text of missed) await say(bob, text);
  for (const text of missed) await waitForText(bob, text);
  check('bob sent while alice was away', (await status(alice)).includes('reconnecting'), await status(alice));

  await alice.waitForFunction(() => document.getElementById('status').className.includes('connected'), null,
    { timeout: 30000 });
  for (const text of missed) await waitForText(alice, text);
  const recovered = await alice.evaluate(() => window.chat.socket.recovered);
  check('alice recovered her session', recovered === true, `recovered ${recovered}`);
  const shown = await texts(alice);
  for (const text of missed) {
    const count = shown.filter((t) => t.endsWith(text)).length;
    check(`alice shows "${text}" once`, count === 1, `${count} times in ${JSON.stringify(shown)}`);
  }
  const order = missed.map((text) => shown.findIndex((t) => t.endsWith(text)));
  check('in order', order[0] < order[1] && order[1] < order[2], JSON.stringify(shown));

  await say(alice, 'alice is back');
  await waitForText(bob, 'alice is back');
  await bob.waitForFunction(() => document.querySelectorAll('#users li').length === 2, null, { timeout: 20000 });
  check('alice is back for bob', JSON.stringify(await users(bob)) === '["alice","bob"]', await users(bob));
} catch (error) {
  check('chromium', false, error.stack ?? error);
} finally {
  clearTimeout(timer);
  if (browser) await browser.close();
}
process.exit(failed() === 0 ? 0 : 1);
