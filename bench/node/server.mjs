// Node's ws as a peer of the load benchmark: node --expose-gc server.mjs echo|broadcast PORT
// echo: every message back to its sender, text as text, binary as binary, on any path.
// broadcast: every message to every connected client, the sender included.
// SIGUSR2 runs a full GC and prints "HEAP <bytes>" (heapUsed + external), the live heap the
// benchmark reports for Node.
import { WebSocketServer, WebSocket } from 'ws';

const [mode, portText] = process.argv.slice(2);
if (!['echo', 'broadcast'].includes(mode) || !portText) {
  console.error('usage: node --expose-gc server.mjs echo|broadcast PORT');
  process.exit(2);
}
const port = Number(portText);
const wss = new WebSocketServer({ host: '127.0.0.1', port, backlog: 4096, perMessageDeflate: false, maxPayload: 16 << 20 });

wss.on('connection', (socket) => {
  socket.on('error', () => {});
  if (mode === 'echo') {
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  } else {
    socket.on('message', (data, isBinary) => {
      for (const client of wss.clients) {
        if (client.readyState === WebSocket.OPEN) {
          client.send(data, { binary: isBinary });
        }
      }
    });
  }
});

wss.on('listening', () => console.log(`listening on ${port}`));

process.on('SIGUSR2', () => {
  if (global.gc) {
    global.gc();
    global.gc();
  }
  const m = process.memoryUsage();
  console.log(`HEAP ${m.heapUsed + m.external}`);
});
process.on('SIGTERM', () => process.exit(0));
