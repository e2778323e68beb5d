// A small Socket.IO v5 client (Engine.IO v4 over WebSocket) for the chat page of `ws chat`.
// What the page needs and no more: events with JSON arguments, acknowledgements both ways, one
// namespace, an auth payload, reconnection with exponential backoff and jitter, emits buffered
// (bounded) while disconnected, and connection state recovery (the server's pid and the offset of
// the last event received go back with the CONNECT). No long-polling, no binary attachments.
//
//   const socket = WsEvents.connect({ auth: { name } });
//   socket.on('connect', () => ...).on('message', (m) => ...);
//   socket.emit('message', 'hi', (id) => ...);
//
// Lifecycle events: connect, disconnect (reason), connect_error (error), reconnect_attempt (n),
// reconnect (n). socket.id, socket.connected, socket.recovered as in socket.io-client.
(function () {
  'use strict';

  const RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'reconnect_attempt', 'reconnect']);

  class EventsSocket {
    constructor(options) {
      this.options = Object.assign({
        path: '/socket.io/', namespace: '/', auth: null, query: {},
        delay: 1000, maxDelay: 5000, jitter: 0.5, maxBuffer: 200,
      }, options);
      this.listeners = new Map();
      this.id = undefined;
      this.connected = false;
      this.recovered = false;
      this.pid = null;
      this.offset = null;
      this.acks = new Map();
      this.nextAck = 0;
      this.buffer = [];
      this.attempts = 0;
      this.stopped = false;
      this.ws = null;
      this.open();
    }

    on(event, listener) {
      if (!this.listeners.has(event)) this.listeners.set(event, []);
      this.listeners.get(event).push(listener);
      return this;
    }

    fire(event, ...args) {
      for (const listener of this.listeners.get(event) || []) {
        try {
          listener(...args);
        } catch (error) {
          console.error(`a listener of '${event}' failed`, error);
        }
      }
    }

    // Sends an event; a function as the last argument receives the server's acknowledgement.
    emit(event, ...args) {
      if (RESERVED.has(event)) throw new Error(`"${event}" is a reserved event name`);
      let ackId = '';
      if (typeof args[args.length - 1] === 'function') {
        ackId = String(this.nextAck++);
        this.acks.set(ackId, args.pop());
      }
      const packet = '2' + this.prefix() + ackId + JSON.stringify([event, ...args]);
      if (this.connected) {
        this.send(packet);
      } else {
        if (this.buffer.length >= this.options.maxBuffer) this.buffer.shift();
        this.buffer.push(packet);
      }
      return this;
    }

    // Leaves for good: no reconnection.
    disconnect() {
      this.stopped = true;
      clearTimeout(this.reconnectTimer);
      if (this.connected) this.send('1' + this.prefix());
      const ws = this.ws;
      this.ws = null;
      if (ws) ws.close();
      this.lost('io client disconnect');
    }

    // ---- Engine.IO

    url() {
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      const query = new URLSearchParams(Object.assign({}, this.options.query, { EIO: '4', transport: 'websocket' }));
      return `${scheme}://${location.host}${this.options.path}?${query}`;
    }

    open() {
      const ws = new WebSocket(this.url());
      let opened = false;
      this.ws = ws;
      ws.onmessage = (message) => {
        if (this.ws !== ws || typeof message.data !== 'string') return; // binary attachments: not handled
        opened = true;
        this.engine(message.data);
      };
      ws.onclose = () => {
        if (this.ws !== ws) return;
        this.ws = null;
        clearTimeout(this.heartbeat);
        if (opened) {
          this.lost('transport close');
        } else {
          this.fire('connect_error', new Error('could not connect to ' + this.url()));
        }
        this.reconnect();
      };
    }

    engine(text) {
      switch (text[0]) {
        case '0': { // open: the handshake
          const handshake = JSON.parse(text.slice(1));
          this.deadline = handshake.pingInterval + handshake.pingTimeout;
          this.armHeartbeat();
          const auth = Object.assign(this.pid ? { pid: this.pid, offset: this.offset } : {}, this.options.auth || {});
          this.send('0' + this.prefix() + JSON.stringify(auth));
          break;
        }
        case '2': // ping
          this.ws.send('3');
          this.armHeartbeat();
          break;
        case '1': // close
          this.ws.close();
          break;
        case '4':
          this.packet(text.slice(1));
          break;
        default:
      }
    }

    armHeartbeat() {
      clearTimeout(this.heartbeat);
      this.heartbeat = setTimeout(() => {
        const ws = this.ws;
        this.ws = null;
        if (ws) ws.close();
        this.lost('ping timeout');
        this.reconnect();
      }, this.deadline);
    }

    send(packet) {
      if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send('4' + packet);
    }

    prefix() {
      return this.options.namespace === '/' ? '' : this.options.namespace + ',';
    }

    reconnect() {
      if (this.stopped) return;
      this.attempts++;
      const o = this.options;
      const base = Math.min(o.maxDelay, o.delay * Math.pow(2, this.attempts - 1));
      const delay = Math.min(o.maxDelay, base * (1 + o.jitter * (2 * Math.random() - 1)));
      this.reconnectTimer = setTimeout(() => {
        if (this.stopped) return;
        this.fire('reconnect_attempt', this.attempts);
        this.open();
      }, delay);
    }

    lost(reason) {
      if (!this.connected) return;
      this.connected = false;
      this.id = undefined;
      this.acks.clear();
      this.fire('disconnect', reason);
    }

    // ---- Socket.IO

    packet(text) {
      const type = text[0];
      let i = 1;
      let namespace = '/';
      if (text[i] === '/') {
        const comma = text.indexOf(',', i);
        namespace = comma < 0 ? text.slice(i) : text.slice(i, comma);
        i = comma < 0 ? text.length : comma + 1;
      }
      if (namespace !== this.options.namespace) return;
      let id = '';
      while (i < text.length && text[i] >= '0' && text[i] <= '9') id += text[i++];
      const data = i < text.length ? JSON.parse(text.slice(i)) : undefined;
      switch (type) {
        case '0': this.joined(data); break;
        case '1':
          this.stopped = true;
          this.lost('io server disconnect');
          if (this.ws) this.ws.close();
          break;
        case '2': this.event(data, id); break;
        case '3': {
          const ack = this.acks.get(id);
          this.acks.delete(id);
          if (ack) ack(...data);
          break;
        }
        case '4': {
          const error = new Error(data.message);
          error.data = data.data;
          this.stopped = true;
          this.fire('connect_error', error);
          break;
        }
        default:
      }
    }

    joined(data) {
      this.recovered = Boolean(data.pid) && data.pid === this.pid;
      this.pid = data.pid || null;
      if (!this.recovered) this.offset = null;
      this.id = data.sid;
      this.connected = true;
      const attempts = this.attempts;
      this.attempts = 0;
      if (attempts > 0) this.fire('reconnect', attempts);
      for (const packet of this.buffer.splice(0)) this.send(packet);
      this.fire('connect');
    }

    event(args, id) {
      if (id !== '') {
        let sent = false;
        args.push((...reply) => {
          if (sent) return;
          sent = true;
          this.send('3' + this.prefix() + id + JSON.stringify(reply));
        });
      }
      this.fire(...args);
      const last = args[args.length - (id !== '' ? 2 : 1)];
      if (this.pid && args.length > 1 && typeof last === 'string') this.offset = last;
    }
  }

  window.WsEvents = { connect: (options) => new EventsSocket(options) };
})();
