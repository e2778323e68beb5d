// Shared by client.mjs and server.mjs: the interop scenarios' conventions.
// Routes (the same on our Java test server and on server.mjs):
//   /echo       every message back with the same type
//   /close      a text "CODE REASON" makes the server close with that code and reason
//   /ping       the server pings "ping-from-server" on open and answers each pong with a text "pong:<payload>"
//   /fragments  a text "N:TEXT" comes back as TEXT in N text fragments; a binary message comes
//               back in 3 binary fragments

export const PING_PAYLOAD = 'ping-from-server';

/** Splits s into n pieces of nearly equal length (some may be empty when s is short). */
export function split(s, n) {
  const parts = [];
  const size = Math.ceil(s.length / n);
  for (let i = 0; i < n; i++) parts.push(s.slice(i * size, (i + 1) * size));
  return parts;
}

/** Sends data as a message of n fragments, all of one type. */
export function sendFragments(ws, parts, binary) {
  parts.forEach((part, i) => ws.send(part, { binary, fin: i === parts.length - 1 }));
}
