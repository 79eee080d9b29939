// Chat: one room's recent messages, then its stream (messages and member counts), a name kept
// in this browser, and a message box that sends on Enter.
import { connect } from '/tidings.js';
import { el, statusPill, resetNotice, pageToken, postJson, getJson, timeElement, isSegment } from '/ui.js';

const NAME_KEY = 'tidings.chat.name';
const MAX_MESSAGES = 500;
const RECENT_MESSAGES = 50;

const join = document.getElementById('join');
const joinError = document.getElementById('join-error');
const roomName = document.getElementById('room-name');
const members = document.getElementById('members');
const list = document.getElementById('messages');
const empty = document.getElementById('messages-empty');
const compose = document.getElementById('compose');
const message = document.getElementById('message');
const composeError = document.getElementById('compose-error');
const onStatus = statusPill();
const onReset = resetNotice();

const params = new URLSearchParams(location.search);
join.room.value = isSegment(params.get('room') ?? '') ? params.get('room') : 'lobby';
join.name.value = params.get('name') ?? localStorage.getItem(NAME_KEY) ?? '';

let room = null;
let stream = null;
let entries = 0; // counts enter() calls, so a slower earlier one gives way
enter(join.room.value);

join.addEventListener('submit', (e) => {
  e.preventDefault();
  const nextRoom = join.room.value.trim();
  const name = join.name.value.trim();
  if (!isSegment(nextRoom)) return joinProblem('A room name is letters, digits and . _ ~ - only.', join.room);
  if (!name) return joinProblem('Choose a name so others know who is writing.', join.name);
  joinError.textContent = '';
  localStorage.setItem(NAME_KEY, name);
  if (nextRoom !== room) {
    const url = new URL(location.href);
    url.searchParams.set('room', nextRoom);
    history.replaceState(null, '', url);
    enter(nextRoom);
  }
  message.focus();
});

function joinProblem(text, field) {
  joinError.textContent = text;
  field.focus();
}

/**
 * Shows the room's recent messages, then streams from the newest event they came with: the
 * stream replays whatever was published in between, so nothing is missed or shown twice.
 */
async function enter(nextRoom) {
  stream?.close();
  stream = null;
  const entry = ++entries;
  room = nextRoom;
  roomName.textContent = room;
  members.textContent = '– members';
  list.replaceChildren();
  empty.hidden = false;
  const recent = await getJson(`/api/v1/topics/chat/${encodeURIComponent(room)}/events?last=${RECENT_MESSAGES}`);
  if (entry !== entries) return;
  const events = Array.isArray(recent) ? recent : [];
  events.filter((event) => event.type === 'message').forEach(addMessage);
  stream = connect({
    // The general stream, so this tab shares one connection with the browser's other Tidings tabs.
    url: '/api/v1/events',
    topics: [`chat/${room}`],
    join: [room],
    types: ['message', 'presence'],
    lastEventId: events.at(-1)?.id,
    token: pageToken(),
    onStatus,
    onReset,
    onEvent(event) {
      if (event.type === 'presence') showMembers(event.data?.members);
      else if (event.type === 'message') addMessage(event);
    },
  });
}

function showMembers(count) {
  if (typeof count !== 'number') return;
  members.textContent = `${count} ${count === 1 ? 'member' : 'members'} online`;
  members.dataset.count = String(count);
}

function addMessage({ data, time }) {
  const author = typeof data?.author === 'string' ? data.author : '?';
  const text = typeof data?.text === 'string' ? data.text : '';
  const mine = author === join.name.value.trim();
  const stick = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.append(el('li', { className: mine ? 'message mine' : 'message' },
    el('div', { className: 'm-head' },
      el('span', { className: 'author', text: author }),
      timeElement(time)),
    el('p', { className: 'text', text })));
  while (list.children.length > MAX_MESSAGES) list.firstElementChild.remove();
  empty.hidden = true;
  if (stick || mine) list.scrollTop = list.scrollHeight;
}

// A form with one text box submits on Enter, so sending works from the keyboard as is.
compose.addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = message.value;
  const author = join.name.value.trim();
  if (!author) {
    composeError.textContent = 'Choose your name first.';
    join.name.focus();
    return;
  }
  if (!text.trim()) return;
  composeError.textContent = '';
  localStorage.setItem(NAME_KEY, author);
  message.value = '';
  const answer = await postJson(`/api/v1/chat/${encodeURIComponent(room)}/messages`, { author, text });
  if (!answer.ok) {
    composeError.textContent = `Not sent: ${answer.error}`;
    if (!message.value) message.value = text;
  }
  message.focus();
});
