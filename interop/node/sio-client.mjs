// socket.io-client v4 (the official client) against our event server (ws.events).
// Usage: node sio-client.mjs MODE BASE_URL, MODE "websocket" (WebSocket only), "polling"
// (long-polling first, then the upgrade) or "polling-only"; BASE_URL like http://127.0.0.1:PORT.
// The server side is ws.interop's SocketIoScenario. Prints "PASS name" or "FAIL name: why" per check;
// exits 0 only when every check passed.
import { io } from 'socket.io-client';
import { check, failed } from './checks.mjs';

const [mode, base] = process.argv.slice(2);
const transports = { websocket: ['websocket'], polling: ['polling', 'websocket'], 'polling-only': ['polling'] }[mode];

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const timeout = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout: ${what}`)), ms));
// Generous waits: a loaded machine (CI, parallel builds) can take seconds for a cold server's first
// requests. A connect waits longer than the client's own connect timeout (20 s), so a slow first
// attempt gets its retry before the check gives up.
const within = (promise, what, ms = 30000) => Promise.race([promise, timeout(ms, what)]);
const once = (emitter, event) => new Promise((resolve) => emitter.once(event, (...args) => resolve(args)));

function connect(namespace = '/', options = {}) {
  return io(base + namespace, { transports, forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 500, ...options });
}

async function connected(socket, what) {
  if (!socket.connected) {
    // why an attempt failed, should the connect time out after all
    const errors = [];
    const onError = (err) => errors.push(err && err.message);
    socket.on('connect_error', onError);
    try {
      await within(once(socket, 'connect'), `${what}: connect`, 45000);
    } catch (e) {
      throw new Error(`${e.message} (connect errors: ${errors.join('; ') || 'none'})`);
    } finally {
      socket.off('connect_error', onError);
    }
  }
}

async function main() {
  const main = connect('/');
  await connected(main, 'main');
  check('connect', main.connected && typeof main.id === 'string' && main.id.length > 0, `id ${main.id}`);

  if (mode === 'polling') {
    const engine = main.io.engine;
    if (engine.transport.name !== 'websocket') {
      await within(once(engine, 'upgrade'), 'upgrade');
    }
    check('upgrade to websocket', engine.transport.name === 'websocket', `transport ${engine.transport.name}`);
  }

  // acks: the client's ack answered by a server handler
  const echoed = await within(main.emitWithAck('echo', { a: 1, list: [1, 'two', null] }, 'x'), 'echo ack');
  check('ack from a server handler', same(echoed, { a: 1, list: [1, 'two', null] }), JSON.stringify(echoed));
  const [sum] = await new Promise((resolve) => main.emit('sum', 2, 3, (...args) => resolve(args)));
  check('ack with a callback', sum === 5, `sum ${sum}`);

  // an event from the server
  const pushed = once(main, 'pushed');
  main.emit('push-me', 'hello');
  const [text] = await within(pushed, 'pushed');
  check('event from the server', text === 'hello', text);

  // the server asks, the client answers its ack
  main.on('question', (q, callback) => callback(`answer to ${q}`));
  const answer = once(main, 'answer');
  main.emit('ask-me');
  const [answered] = await within(answer, 'answer');
  check('ack to a server emit', answered === 'answer to ready?', answered);

  // binary both ways, nested in objects
  const payload = Buffer.from([0, 1, 2, 253, 254, 255]);
  const [back, extra] = await within(main.emitWithAck('binary', { name: 'f.bin', content: payload }).then((r) => [r.content, r.extra]), 'binary ack');
  check('binary attachments both ways', Buffer.isBuffer(back) && back.equals(payload) && Buffer.isBuffer(extra) && extra.length === 3,
    `${back} ${extra}`);

  // a namespace with an auth middleware
  const refused = connect('/secure', { auth: { token: 'wrong' }, reconnection: false });
  const [err] = await within(once(refused, 'connect_error'), 'connect_error');
  check('middleware refusal with message and data', err.message === 'not authorized' && err.data && err.data.code === 401,
    `${err.message} ${JSON.stringify(err.data)}`);
  refused.close();
  const secure = connect('/secure', { auth: { token: 's3cret' } });
  await connected(secure, 'secure');
  const who = await within(secure.emitWithAck('whoami'), 'whoami');
  check('auth payload reaches the server', who === 's3cret', who);
  check('a socket id per namespace', secure.id !== main.id, `${secure.id} ${main.id}`);
  secure.close();

  // an unknown namespace
  const unknown = connect('/nowhere', { reconnection: false });
  const [invalid] = await within(once(unknown, 'connect_error'), 'invalid namespace');
  check('unknown namespace refused', invalid.message === 'Invalid namespace', invalid.message);
  unknown.close();

  // a dynamic namespace
  const team = connect('/team-7');
  await connected(team, 'dynamic');
  const teamName = await within(team.emitWithAck('where'), 'where');
  check('dynamic namespace', teamName === '/team-7', teamName);
  team.close();

  // rooms: a broadcast reaches the room but not the sender
  const other = connect('/');
  await connected(other, 'other');
  await within(main.emitWithAck('join', 'room-1'), 'join main');
  await within(other.emitWithAck('join', 'room-1'), 'join other');
  let echoToSender = false;
  main.on('shout', () => { echoToSender = true; });
  const heard = once(other, 'shout');
  main.emit('shout', 'room-1', 'hi all');
  const [shout] = await within(heard, 'shout');
  await new Promise((r) => setTimeout(r, 200));
  check('room broadcast without the sender', shout === 'hi all' && !echoToSender, `${shout} ${echoToSender}`);
  other.close();

  // a server-side disconnect
  const kicked = once(main, 'disconnect');
  main.emit('kick-me');
  const [reason] = await within(kicked, 'kicked');
  check('server disconnect reason', reason === 'io server disconnect', reason);
  main.close();
  await new Promise((r) => setTimeout(r, 300));

  // connection state recovery: the connection drops, events are emitted meanwhile, the client comes back
  const recovering = connect('/', { auth: { token: 'r' } });
  await connected(recovering, 'recovering');
  check('not recovered at first', recovering.recovered === false, `${recovering.recovered}`);
  const firstId = recovering.id;
  const news = [];
  recovering.on('news', (n) => news.push(n));
  await within(recovering.emitWithAck('subscribe'), 'subscribe');
  const warm = once(recovering, 'news');
  recovering.emit('news-now');
  await within(warm, 'first news');
  const reconnected = once(recovering, 'connect');
  recovering.emit('news-when-gone');
  await new Promise((r) => setTimeout(r, 100));
  if (mode === 'polling-only') {
    recovering.io.engine.close(); // the client drops the connection
  } else {
    recovering.emit('drop-me'); // the server aborts the connection (no close handshake)
  }
  await within(reconnected, 'reconnect', 45000);
  await new Promise((r) => setTimeout(r, 300));
  check('recovered after a drop', recovering.recovered === true && recovering.id === firstId,
    `recovered ${recovering.recovered}, id ${recovering.id} vs ${firstId}`);
  check('missed events once each, in order', same(news, [0, 1, 2, 3]), JSON.stringify(news));
  recovering.close();

}

main().then(() => process.exit(failed() === 0 ? 0 : 1), (error) => {
  console.log(`FAIL run: ${error.message}`);
  process.exit(1);
});
