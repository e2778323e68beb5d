// A Socket.IO v4 server (npm socket.io, Engine.IO v4, Socket.IO protocol v5) for our Java event
// client to talk to (ws.interop's SocketIoServerInteropTest).
// Usage: node socketio-server.mjs -> prints "listening PORT", then a line per event worth checking:
//   "connected NSP ENGINE_ID", "disconnected NSP REASON", "answer VALUE", "recovered NSP ID".
// Ends when standard input ends (the Java test closes it) or on SIGTERM.
//
// Namespaces and events:
//   /         "echo" (...args, ack): acks every argument back (binary included)
//             "engine" (ack): acks the Engine.IO session id (one per connection, shared by namespaces)
//             "ask" (question): the server emits "question" with an ack and prints "answer [ARGS]"
//             "join" (room, ack): joins the room, then acks the socket's rooms
//             "say" (room, text): emits "said" (text) to everyone in the room but the sender
//             "news" (room, from, to): emits "news" (n) to the room for n in [from, to)
//             "drop" (): the server drops the connection (Engine.IO close): the client reconnects
//             "drop-then-news" (room, from, to): drops, then emits "news" to the room while the
//               client is away (connection state recovery replays them)
//             "kick" (): the server disconnects the socket ("io server disconnect": no reconnection)
//   /secure   a middleware accepts auth {token: "good"} and refuses anything else with
//             CONNECT_ERROR {message: "not authorized", data: {reason}}; on connect the server
//             emits "hello" (auth.name)
//   /chat     "echo" as above: a second namespace on the same connection
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, {
  serveClient: false,
  pingInterval: 2000,
  pingTimeout: 2000,
  connectionStateRecovery: { maxDisconnectionDuration: 60_000, skipMiddlewares: true },
});

const print = (line) => process.stdout.write(`${line}\n`);

function common(nsp, socket) {
  print(`connected ${nsp.name} ${socket.conn.id}`);
  if (socket.recovered) {
    print(`recovered ${nsp.name} ${socket.id}`);
  }
  socket.on('disconnect', (reason) => print(`disconnected ${nsp.name} ${reason}`));
  socket.on('echo', (...args) => {
    const ack = args.pop();
    if (typeof ack === 'function') ack(...args);
  });
}

io.on('connection', (socket) => {
  common(io.of('/'), socket);
  socket.on('engine', (ack) => ack(socket.conn.id));
  socket.on('ask', (question) => {
    socket.timeout(10_000).emit('question', question, (error, ...answer) => {
      print(error ? `answer error ${error.message}` : `answer ${JSON.stringify(answer)}`);
    });
  });
  socket.on('join', (room, ack) => {
    socket.join(room);
    ack([...socket.rooms].sort());
  });
  socket.on('say', (room, text) => socket.to(room).emit('said', text));
  socket.on('news', (room, from, to) => {
    for (let n = from; n < to; n++) io.to(room).emit('news', n);
  });
  socket.on('drop', () => socket.conn.close());
  socket.on('drop-then-news', (room, from, to) => {
    socket.once('disconnect', () => {
      for (let n = from; n < to; n++) io.to(room).emit('news', n);
    });
    socket.conn.close();
  });
  socket.on('kick', () => socket.disconnect());
});

const secure = io.of('/secure');
secure.use((socket, next) => {
  const auth = socket.handshake.auth ?? {};
  if (auth.token === 'good') {
    next();
  } else {
    const error = new Error('not authorized');
    error.data = { reason: auth.token === undefined ? 'no token' : 'bad token' };
    next(error);
  }
});
secure.on('connection', (socket) => {
  common(secure, socket);
  socket.emit('hello', socket.handshake.auth.name ?? 'anonymous');
});

const chat = io.of('/chat');
chat.on('connection', (socket) => common(chat, socket));

http.listen(0, '127.0.0.1', () => print(`listening ${http.address().port}`));

const stop = () => {
  io.close();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
