// The npm socket.io v4 server for the events benchmark (./bench/run), the same shape as
// ws.benchmark.peers.EventsServer: "join" (room, ack) joins and acks, "publish" (text) emits
// "tick" (text) to the benchmark room, "ping" (...args, ack) acks with its arguments.
// With a Redis URI it is one node of a cluster: @socket.io/redis-adapter (its default pub/sub mode)
// on that Redis, so "publish" reaches the room's members on every node.
// Usage: node socketio-server.mjs PORT [redis://HOST:PORT]; prints "listening on PORT".
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2]);
const redisUri = process.argv[3];
const http = createServer();
const io = new Server(http, { serveClient: false, transports: ['websocket', 'polling'] });
if (redisUri) {
  const { createClient } = await import('redis');
  const { createAdapter } = await import('@socket.io/redis-adapter');
  const pub = createClient({ url: redisUri });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub));
}
io.on('connection', (socket) => {
  socket.on('join', (room, ack) => {
    socket.join(room);
    ack(room);
  });
  socket.on('publish', (text) => io.to('bench').emit('tick', text));
  socket.on('ping', (...args) => {
    const ack = args.pop();
    ack(...args);
  });
});
http.listen(port, '127.0.0.1', () => console.log(`listening on ${http.address().port}`));
