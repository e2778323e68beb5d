// A reference echo server on Node's `ws` package (which passes the Autobahn testsuite), accepting
// permessage-deflate with ws's defaults (groups 12 and 13; the other groups offer no extension):
//   node echo-server.js [port]      (prints "listening on PORT" once bound; port 0 picks a free one)
'use strict';
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 9001);
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: true, maxPayload: 64 * 1024 * 1024,
  // ws >= 8.23 caps fragments per message at 16384 by default (1008); Autobahn 9.3.1 sends 65536.
  maxFragments: 1 << 20, maxBufferedChunks: 1 << 20 });
wss.on('listening', () => console.log(`listening on ${wss.address().port}`));
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {});
});
process.on('SIGTERM', () => process.exit(0));
