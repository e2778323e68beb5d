// The npm socket.io v4 server for the events benchmark (./bench/run), the same shape as
// ws.benchmark.peers.EventsServer: "join" (room, ack) joins and acks, "publish" (text) emits
// "tick" (text) to the benchmark room, "ping" (...args, ack) acks with its arguments.
// Usage: node socketio-server.mjs PORT; prints "listening on PORT".
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2]);
const http = createServer();
const io = new Server(http, { serveClient: false, transports: ['websocket', 'polling'] });
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
