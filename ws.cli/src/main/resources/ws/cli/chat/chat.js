// The chat page of `ws chat`: rooms, who is here (presence), messages, a visible reconnecting state,
// and recovery after a lost connection (the server replays what was missed, each message once).
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const state = {
    name: params.get('name') || localStorage.getItem('ws-chat-name') || 'guest-' + Math.random().toString(36).slice(2, 6),
    room: params.get('room') || 'lobby',
    shown: new Set(),
    lists: {},
  };
  $('name').value = state.name;

  // query parameters of the page go on to the connection (as socket.io-client's `query` option);
  // ?delay=MS sets the first reconnection delay (1 s by default)
  const query = {};
  for (const [key, value] of params) query[key] = value;
  const delay = Number(params.get('delay')) || 1000;
  const socket = WsEvents.connect({ query, delay, maxDelay: Math.max(5000, delay) });
  window.chat = { socket, state };

  function status(kind, text) {
    $('status').className = 'status ' + kind;
    $('status').textContent = text;
  }

  function show(message) {
    if (state.shown.has(message.id)) return; // history and recovery never show a message twice
    state.shown.add(message.id);
    const item = document.createElement('li');
    item.dataset.id = message.id;
    const from = document.createElement('span');
    from.className = 'from';
    from.textContent = message.from;
    item.append(from, document.createTextNode(message.text));
    $('messages').append(item);
    item.scrollIntoView({ block: 'end' });
  }

  function note(text) {
    const item = document.createElement('li');
    item.className = 'system';
    item.textContent = text;
    $('messages').append(item);
  }

  function join(room) {
    state.lists = {}; // the presence lists that came since this join was sent, by room
    socket.emit('join', { name: state.name, room }, (answer) => {
      if (answer.error) {
        note(answer.error);
        return;
      }
      if (answer.room !== state.room) {
        $('messages').replaceChildren();
        state.shown.clear();
      }
      state.room = answer.room;
      $('room-title').textContent = '#' + answer.room;
      answer.history.forEach(show);
      // a presence list that came meanwhile is newer than the answer's (the answer waits for the
      // room list too, so later pushes may overtake it)
      users(state.lists[answer.room] ?? answer.members);
      rooms(answer.rooms);
    });
  }

  function users(members) {
    $('users').replaceChildren(...members.map((member) => {
      const item = document.createElement('li');
      item.textContent = member.name;
      return item;
    }));
  }

  function rooms(list) {
    $('rooms').replaceChildren(...list.map((room) => {
      const item = document.createElement('li');
      item.textContent = `#${room.name} (${room.users})`;
      item.className = room.name === state.room ? 'current' : '';
      item.onclick = () => join(room.name);
      return item;
    }));
  }

  socket.on('connect', () => {
    status('connected', 'connected');
    if (socket.recovered) {
      note('reconnected: nothing was missed');
    } else {
      join(state.room); // a fresh session: join again, the history fills the gap
    }
  });
  socket.on('disconnect', (reason) => status('reconnecting', 'reconnecting… (' + reason + ')'));
  socket.on('reconnect_attempt', (attempt) => status('reconnecting', 'reconnecting… (attempt ' + attempt + ')'));
  socket.on('connect_error', () => status('reconnecting', 'reconnecting…'));
  socket.on('message', show);
  socket.on('presence', (list) => {
    state.lists[list.room] = list.members;
    if (list.room === state.room) users(list.members);
  });
  socket.on('rooms', rooms);

  $('message-form').onsubmit = (e) => {
    e.preventDefault();
    const text = $('text').value.trim();
    if (!text) return;
    $('text').value = '';
    socket.emit('message', text); // buffered while reconnecting, sent once connected
  };
  $('room-form').onsubmit = (e) => {
    e.preventDefault();
    const room = $('room').value.trim();
    $('room').value = '';
    if (room) join(room);
  };
  $('name').onchange = () => {
    state.name = $('name').value.trim() || state.name;
    localStorage.setItem('ws-chat-name', state.name);
    socket.emit('rename', state.name);
  };
})();
