// A mixed cluster on one Redis: the npm socket.io v4 server with @socket.io/redis-adapter (started
// here, on a free loopback port) and our event server with ws.events.redis (started by ws.interop's
// MixedRedisClusterTest). A socket.io-client on each server; both in one room; events both ways.
// Usage: node redis-cluster.mjs MODE REDIS_URL JAVA_BASE_URL, MODE "classic" (createAdapter, PUBLISH)
// or "sharded" (createShardedAdapter, SPUBLISH/SSUBSCRIBE on Redis 7). Prints "PASS name" or "FAIL name: why" per
// check, then "PASS done" when every check ran; exits 0 only when every check passed.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { io } from 'socket.io-client';
import { check, failed } from './checks.mjs';

const [mode, redisUrl, javaBase] = process.argv.slice(2);

const timeout = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout: ${what}`)), ms));
const within = (promise, what, ms = 15000) => Promise.race([promise, timeout(ms, what)]);
const once = (emitter, event) => new Promise((resolve) => emitter.once(event, (...args) => resolve(args)));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  const http = createServer();
  const adapter = mode === 'sharded' ? createShardedAdapter(pub, sub) : createAdapter(pub, sub, { requestsTimeout: 10000 });
  const nodeServer = new Server(http, { adapter });
  // the same handlers as the Java node's
  nodeServer.on('connection', (socket) => {
    socket.on('join', (room, ack) => { socket.join(room); ack(room); });
    socket.on('say', (room, text) => socket.to(room).emit('said', text));
    socket.on('say-binary', (room) => socket.to(room).emit('blob', Buffer.from([1, 2, 3, 255])));
    socket.on('count', async (room, ack) => ack((await nodeServer.in(room).fetchSockets()).map((s) => s.id).sort()));
    socket.on('pull', (id, room) => nodeServer.in(id).socketsJoin(room));
    socket.on('poll', async (room, ack) => {
      try {
        ack((await nodeServer.to(room).timeout(10000).emitWithAck('poll')).sort());
      } catch (error) {
        ack(`error: ${error.message}`);
      }
    });
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  const nodeBase = `http://127.0.0.1:${http.address().port}`;

  // sharded mode: a node subscribes to a room's channel when its first member joins, without waiting
  // (in both adapters); wait until the nodes with members are subscribed before emitting to the room
  const subscribed = async (room, nodes) => {
    if (mode !== 'sharded') {
      return;
    }
    for (let attempt = 0; attempt < 200; attempt++) {
      const [, count] = await pub.sendCommand(['PUBSUB', 'SHARDNUMSUB', `socket.io#/#${room}#`]);
      if (Number(count) >= nodes) {
        return;
      }
      await sleep(50);
    }
    throw new Error(`${nodes} nodes did not subscribe to room ${room}`);
  };

  const options = { transports: ['websocket'], forceNew: true, reconnection: false };
  const onNode = io(nodeBase, options);
  const onJava = io(javaBase, options);
  await within(Promise.all([once(onNode, 'connect'), once(onJava, 'connect')]), 'connect');
  await within(Promise.all([onNode.emitWithAck('join', 'room'), onJava.emitWithAck('join', 'room')]), 'join');
  await subscribed('room', 2);

  // Node to Java
  let heard = once(onJava, 'said');
  onNode.emit('say', 'room', 'from node');
  let [text] = await within(heard, 'node to java');
  check('an emit to a room on the Node server reaches the client of the Java server', text === 'from node', text);

  // Java to Node
  heard = once(onNode, 'said');
  onJava.emit('say', 'room', 'from java');
  [text] = await within(heard, 'java to node');
  check('an emit to a room on the Java server reaches the client of the Node server', text === 'from java', text);

  // binary, both ways
  let blob = once(onJava, 'blob');
  onNode.emit('say-binary', 'room');
  let [bytes] = await within(blob, 'binary node to java');
  check('binary from the Node server arrives as binary', Buffer.from(bytes).equals(Buffer.from([1, 2, 3, 255])), bytes);
  blob = once(onNode, 'blob');
  onJava.emit('say-binary', 'room');
  [bytes] = await within(blob, 'binary java to node');
  check('binary from the Java server arrives as binary', Buffer.from(bytes).equals(Buffer.from([1, 2, 3, 255])), bytes);

  // fetchSockets, asked from either side
  const both = [onNode.id, onJava.id].sort();
  const fromNode = await within(onNode.emitWithAck('count', 'room'), 'count on node');
  check('fetchSockets on the Node server lists the socket of the Java server', JSON.stringify(fromNode) === JSON.stringify(both), JSON.stringify(fromNode));
  const fromJava = await within(onJava.emitWithAck('count', 'room'), 'count on java');
  check('fetchSockets on the Java server lists the socket of the Node server', JSON.stringify(fromJava) === JSON.stringify(both), JSON.stringify(fromJava));

  // socketsJoin on a socket of the other server, both ways
  onNode.emit('pull', onJava.id, 'pulled-by-node');
  onJava.emit('pull', onNode.id, 'pulled-by-java');
  await sleep(500);
  await subscribed('pulled-by-node', 1); // the Java server's socket only
  await subscribed('pulled-by-java', 1); // the Node server's socket only
  heard = once(onJava, 'said');
  onNode.emit('say', 'pulled-by-node', 'you were pulled');
  [text] = await within(heard, 'pulled by node');
  check('socketsJoin from the Node server moves the socket of the Java server', text === 'you were pulled', text);
  heard = once(onNode, 'said');
  onJava.emit('say', 'pulled-by-java', 'you too');
  [text] = await within(heard, 'pulled by java');
  check('socketsJoin from the Java server moves the socket of the Node server', text === 'you too', text);

  // a broadcast with acknowledgements, from either side: every client's answer
  onNode.on('poll', (ack) => ack('node client'));
  onJava.on('poll', (ack) => ack('java client'));
  const answersViaNode = await within(onNode.emitWithAck('poll', 'room'), 'poll from node', 20000);
  check('emitWithAck on the Node server gathers the answer of the Java server\'s client', JSON.stringify(answersViaNode) === JSON.stringify(['java client', 'node client']), JSON.stringify(answersViaNode));
  const answersViaJava = await within(onJava.emitWithAck('poll', 'room'), 'poll from java', 20000);
  check('emitWithAck on the Java server gathers the answer of the Node server\'s client', JSON.stringify(answersViaJava) === JSON.stringify(['java client', 'node client']), JSON.stringify(answersViaJava));

  onNode.close();
  onJava.close();
  nodeServer.close();
  await Promise.all([pub.quit(), sub.quit()]);
  console.log(failed() === 0 ? 'PASS done' : `FAIL done: ${failed()} failures`);
  process.exit(failed() === 0 ? 0 : 1);
}

main().catch((error) => {
  console.log(`FAIL run: ${error.stack || error}`);
  process.exit(1);
});
