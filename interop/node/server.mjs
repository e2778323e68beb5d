// A WebSocket server made with Node's ws package, for our client to talk to.
// Usage: node server.mjs  -> prints "listening PORT", then one line per closed connection:
//   "closed PATH CODE REASON" (the close the client sent, as ws reports it).
// Ends when standard input ends (the Java test closes it) or on SIGTERM.
import { WebSocketServer } from 'ws';
import { PING_PAYLOAD, split, sendFragments } from './common.mjs';

// permessage-deflate is accepted when a client offers it (ours offers it only when configured to)
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 16 * 1024 * 1024, perMessageDeflate: true });

server.on('connection', (ws, request) => {
  const path = new URL(request.url, 'ws://localhost').pathname;
  ws.on('close', (code, reason) => {
    process.stdout.write(`closed ${path} ${code} ${reason.toString()}\n`);
  });
  ws.on('error', (error) => process.stderr.write(`error on ${path}: ${error.message}\n`));
  if (path === '/ping') {
    ws.on('pong', (data) => ws.send(`pong:${data.toString()}`));
    ws.ping(PING_PAYLOAD);
  }
  ws.on('message', (data, isBinary) => {
    switch (path) {
      case '/close': {
        const text = data.toString();
        const space = text.indexOf(' ');
        ws.close(Number(space < 0 ? text : text.slice(0, space)), space < 0 ? '' : text.slice(space + 1));
        break;
      }
      case '/fragments':
        if (isBinary) {
          sendFragments(ws, split(data, 3), true);
        } else {
          const text = data.toString();
          const colon = text.indexOf(':');
          sendFragments(ws, split(text.slice(colon + 1), Number(text.slice(0, colon))), false);
        }
        break;
      default:
        ws.send(data, { binary: isBinary });
    }
  });
});

server.on('listening', () => process.stdout.write(`listening ${server.address().port}\n`));
const stop = () => {
  for (const client of server.clients) client.terminate();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
