// Node's ws package as a client of our server. Usage: node client.mjs SCENARIO BASE_URL [CA_PEM]
// (BASE_URL like ws://127.0.0.1:PORT, or wss://localhost:PORT with CA_PEM the certificate(s) to trust).
// Prints "PASS name" or "FAIL name: why" per check and "closed CODE REASON" when the connection
// ends; exits 0 only when every check passed.
import WebSocket from 'ws';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PING_PAYLOAD, split, sendFragments } from './common.mjs';
import { check, failed } from './checks.mjs';

const [scenario, base, caFile] = process.argv.slice(2);
// wss://: Node checks the chain against CA_PEM and the host name, as a browser would
const tls = caFile ? { ca: readFileSync(caFile) } : {};

/** Opens a connection and gives a function that waits for the next message or the close. */
function open(path, deflate = false) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(base + path, { perMessageDeflate: deflate, maxPayload: 16 * 1024 * 1024, ...tls });
    const queue = [];
    const waiters = [];
    const push = (event) => (waiters.length ? waiters.shift()(event) : queue.push(event));
    ws.on('message', (data, isBinary) => push({ type: isBinary ? 'binary' : 'text', data }));
    ws.on('close', (code, reason) => {
      console.log(`closed ${code} ${reason.toString()}`);
      push({ type: 'close', code, reason: reason.toString() });
    });
    ws.on('error', (error) => { console.log(`error ${error.message}`); reject(error); });
    let agreed = '';
    ws.on('upgrade', (response) => { agreed = response.headers['sec-websocket-extensions'] ?? ''; });
    ws.on('open', () => resolve({
      ws,
      agreed, // the server's Sec-WebSocket-Extensions (ws.extensions names only the extension)
      next: () => new Promise((res) => (queue.length ? res(queue.shift()) : waiters.push(res))),
    }));
  });
}

async function expectEcho(peer, name, payload, binary) {
  peer.ws.send(payload, { binary });
  const got = await peer.next();
  check(name, got.type === (binary ? 'binary' : 'text') && Buffer.compare(Buffer.from(got.data), Buffer.from(payload)) === 0,
    `sent ${binary ? 'binary' : 'text'} of ${payload.length}, got ${got.type} of ${got.data?.length}`);
}

async function closeNormally(peer) {
  peer.ws.close(1000, 'done');
  const got = await peer.next();
  check('close 1000', got.type === 'close' && got.code === 1000, `got ${JSON.stringify(got)}`);
}

const scenarios = {
  async text() {
    const peer = await open('/echo');
    await expectEcho(peer, 'text', 'hello from node', false);
    await expectEcho(peer, 'unicode text', 'héllo wörld ✓ 🌍 中文', false);
    await expectEcho(peer, 'empty text', '', false);
    await closeNormally(peer);
  },
  async binary() {
    const peer = await open('/echo');
    await expectEcho(peer, 'binary', Buffer.from([...Array(256).keys()]), true);
    await expectEcho(peer, 'empty binary', Buffer.alloc(0), true);
    await closeNormally(peer);
  },
  async large() {
    const peer = await open('/echo');
    await expectEcho(peer, '1 MiB text', randomBytes(512 * 1024).toString('hex'), false);
    await expectEcho(peer, '1 MiB binary', randomBytes(1024 * 1024), true);
    await closeNormally(peer);
  },
  async fragmented() {
    const echo = await open('/echo');
    const text = 'fragmented text ✓ ' + 'x'.repeat(1000);
    sendFragments(echo.ws, split(text, 5), false);
    let got = await echo.next();
    check('fragmented text sent', got.type === 'text' && got.data.toString() === text, `got ${got.type} ${got.data?.length}`);
    const bytes = randomBytes(70000);
    sendFragments(echo.ws, split(bytes, 4), true);
    got = await echo.next();
    check('fragmented binary sent', got.type === 'binary' && Buffer.compare(got.data, bytes) === 0, `got ${got.type} ${got.data?.length}`);
    await closeNormally(echo);

    const fragments = await open('/fragments');
    fragments.ws.send('7:' + text);
    got = await fragments.next();
    check('fragmented text received', got.type === 'text' && got.data.toString() === text, `got ${got.type} ${got.data}`);
    fragments.ws.send(bytes);
    got = await fragments.next();
    check('fragmented binary received', got.type === 'binary' && Buffer.compare(got.data, bytes) === 0, `got ${got.type}`);
    await closeNormally(fragments);
  },
  async ping() {
    const peer = await open('/ping');
    // the server pinged on open; ws answered with a pong by itself, and the server says so
    let got = await peer.next();
    check('server ping answered', got.type === 'text' && got.data.toString() === `pong:${PING_PAYLOAD}`, `got ${got.type} ${got.data}`);
    const pong = new Promise((resolve) => peer.ws.once('pong', resolve));
    peer.ws.ping('ping-from-node');
    got = await pong;
    check('client ping answered', got.toString() === 'ping-from-node', `pong payload ${got}`);
    await closeNormally(peer);
  },
  async deflate() {
    const peer = await open('/echo', true);
    check('permessage-deflate negotiated', peer.ws.extensions.includes('permessage-deflate'),
      `extensions "${peer.ws.extensions}"`);
    await expectEcho(peer, 'compressible text', 'all work and no play makes jack a dull boy ✓ '.repeat(3000), false);
    await expectEcho(peer, 'short text', 'short', false);
    await expectEcho(peer, '1 MiB binary', randomBytes(1024 * 1024), true);
    const text = 'fragmented and compressed '.repeat(400);
    sendFragments(peer.ws, split(text, 4), false);
    const got = await peer.next();
    check('fragmented compressed text', got.type === 'text' && got.data.toString() === text, `got ${got.type}`);
    await closeNormally(peer);
  },
  // Context takeover off in both directions: ws asks the server to reset after every message
  // (server_no_context_takeover) and says it resets too (client_no_context_takeover). Repeated,
  // similar messages are what a reset compressor cannot refer back to.
  async 'deflate-no-context'() {
    const peer = await open('/echo', { serverNoContextTakeover: true, clientNoContextTakeover: true, threshold: 0 });
    const { agreed } = peer;
    check('permessage-deflate negotiated without context takeover',
      agreed.includes('permessage-deflate') && agreed.includes('server_no_context_takeover')
        && agreed.includes('client_no_context_takeover'), `extensions "${agreed}"`);
    for (let i = 0; i < 5; i++) {
      await expectEcho(peer, `repeated text ${i}`, `{"order": ${i}, "item": "the same words again and again"} `.repeat(200), false);
    }
    await expectEcho(peer, 'short text', 'short', false);
    await expectEcho(peer, '1 MiB binary', randomBytes(1024 * 1024), true);
    await closeNormally(peer);
  },
  // Context takeover on in both directions (ws's default), many similar messages.
  async 'deflate-context'() {
    const peer = await open('/echo', { threshold: 0 });
    const { agreed } = peer;
    check('permessage-deflate negotiated with context takeover',
      agreed.includes('permessage-deflate') && !agreed.includes('no_context_takeover'), `extensions "${agreed}"`);
    for (let i = 0; i < 5; i++) {
      await expectEcho(peer, `repeated text ${i}`, `{"order": ${i}, "item": "the same words again and again"} `.repeat(200), false);
    }
    await closeNormally(peer);
  },
  async tls() {
    const peer = await open('/echo');
    const socket = peer.ws._socket;
    check('wss: TLS 1.3', socket.getProtocol && socket.getProtocol() === 'TLSv1.3', `protocol ${socket.getProtocol?.()}`);
    check('wss: server certificate verified', socket.authorized === true, `authorized ${socket.authorized} ${socket.authorizationError}`);
    await expectEcho(peer, 'text over TLS', 'hello over TLS ✓', false);
    await expectEcho(peer, '1 MiB binary over TLS', randomBytes(1024 * 1024), true);
    await closeNormally(peer);
  },
  async 'client-close'() {
    const peer = await open('/echo');
    peer.ws.close(4000, 'node-bye');
    const got = await peer.next();
    check('close 4000 echoed', got.type === 'close' && got.code === 4000, `got ${JSON.stringify(got)}`);
  },
  async 'server-close'() {
    const peer = await open('/close');
    peer.ws.send('4001 server-bye');
    const got = await peer.next();
    check('server close 4001', got.type === 'close' && got.code === 4001 && got.reason === 'server-bye', `got ${JSON.stringify(got)}`);
  },
};

const run = scenarios[scenario];
if (!run) {
  console.log(`FAIL usage: unknown scenario ${scenario}; known: ${Object.keys(scenarios).join(' ')}`);
  process.exit(2);
}
const timer = setTimeout(() => { console.log('FAIL timeout: the scenario did not finish in 20 s'); process.exit(1); }, 20000);
try {
  await run();
} catch (error) {
  check(scenario, false, error.stack ?? String(error));
}
clearTimeout(timer);
process.exit(failed() === 0 ? 0 : 1);
