// A WebSocket server made with Node's ws package, for our client to talk to.
// Usage: node server.mjs [--port PORT] [CERT_PEM KEY_PEM] -> prints "listening PORT", then one line per
//   closed connection: "closed PATH CODE REASON" (the close the client sent, as ws reports it), and on
//   the path /record one line per text message received, "received TEXT", before echoing it.
// With CERT_PEM and KEY_PEM it speaks wss:// (TLS from Node's https module) instead of ws://.
// --port listens on that port rather than a free one (a test that restarts the server on the same port).
// Ends when standard input ends (the Java test closes it) or on SIGTERM.
import { WebSocketServer } from 'ws';
import { createServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { PING_PAYLOAD, split, sendFragments } from './common.mjs';

const args = process.argv.slice(2);
const port = args[0] === '--port' ? Number(args.splice(0, 2)[1]) : 0;
const [certFile, keyFile] = args;
// permessage-deflate is accepted when a client offers it (ours offers it only when configured to)
const options = { maxPayload: 16 * 1024 * 1024, perMessageDeflate: true };
let server;
if (certFile) {
  const https = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) });
  server = new WebSocketServer({ ...options, server: https });
  https.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${https.address().port}\n`));
} else {
  server = new WebSocketServer({ host: '127.0.0.1', port, ...options });
  server.on('listening', () => process.stdout.write(`listening ${server.address().port}\n`));
}

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
      case '/record':
        process.stdout.write(`received ${data.toString()}\n`);
        ws.send(data, { binary: isBinary });
        break;
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

const stop = () => {
  for (const client of server.clients) client.terminate();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref(); // an https server of ours is not closed by ws
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
