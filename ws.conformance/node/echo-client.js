// A reference echo client on Node's `ws` package: connects once, echoes every message, exits when closed.
// It offers permessage-deflate (ws's default offer), which groups 12 and 13 accept.
//   node echo-client.js ws://127.0.0.1:9002/case/1.1.1
'use strict';
const WebSocket = require('ws');

const url = process.argv[2];
if (!url) {
  console.error('usage: node echo-client.js URL');
  process.exit(2);
}
const ws = new WebSocket(url, { perMessageDeflate: true, maxPayload: 64 * 1024 * 1024,
  // ws >= 8.23 caps fragments per message at 16384 by default (1008); Autobahn 9.3.1 sends 65536.
  maxFragments: 1 << 20, maxBufferedChunks: 1 << 20 });
ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
ws.on('error', (e) => console.error(`${url}: ${e.message}`));
ws.on('close', () => process.exit(0));
