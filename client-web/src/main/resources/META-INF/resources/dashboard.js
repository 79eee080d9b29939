// Dashboard: every topic on one stream, a live events-per-second chart, the latest events and
// a form that publishes a notification.
import { connect, DEFAULT_TYPES } from '/tidings.js';
import { el, statusPill, resetNotice, pageToken, postJson, timeElement, trim, isSegment } from '/ui.js';

const SECONDS = 60;
const MAX_ROWS = 50;

const list = document.getElementById('events');
const empty = document.getElementById('events-empty');
const rate = document.getElementById('rate');
const total = document.getElementById('total');
const topicCount = document.getElementById('topics');
const canvas = document.getElementById('chart');

const perSecond = new Array(SECONDS).fill(0); // the last entry is the current second
const topics = new Set();
let seen = 0;

// EventSource only hands out the event types it listens for: other types come from ?type=….
const extraTypes = new URLSearchParams(location.search).getAll('type');

connect({
  url: '/api/v1/events',
  topics: ['**'],
  types: [...new Set([...DEFAULT_TYPES, ...extraTypes])],
  token: pageToken(),
  onStatus: statusPill(),
  onReset: resetNotice(),
  onEvent(event) {
    perSecond[SECONDS - 1] += 1;
    seen += 1;
    if (event.topic) topics.add(event.topic);
    total.textContent = seen.toLocaleString();
    topicCount.textContent = topics.size.toLocaleString();
    addRow(event);
  },
});

function addRow(event) {
  const row = el('li', { className: `event type-${event.type}` },
    timeElement(event.time),
    el('span', { className: 'topic', text: event.topic ?? '' }),
    el('span', { className: 'badge', text: event.type }),
    el('span', { className: 'summary', text: summary(event) }));
  if (event.type === 'notification' && event.data?.level) row.dataset.level = event.data.level;
  list.prepend(row);
  trim(list, MAX_ROWS);
  empty.hidden = true;
}

/** One line about an event, by type. */
function summary({ type, data }) {
  if (type === 'notification' && data) {
    return [data.title, data.body].filter(Boolean).join(' — ');
  }
  if (type === 'message' && data && typeof data.author === 'string' && typeof data.text === 'string') {
    return `${data.author}: ${data.text}`;
  }
  if (type === 'presence' && data) return `${data.members} member${data.members === 1 ? '' : 's'} in ${data.room}`;
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

// The chart: one bar per second, redrawn when a second ends and when the canvas is resized.
setInterval(() => {
  rate.textContent = perSecond[SECONDS - 1].toLocaleString();
  perSecond.shift();
  perSecond.push(0);
  draw();
}, 1000);
new ResizeObserver(draw).observe(canvas);

function draw() {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (!width || !height) return;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  const style = getComputedStyle(document.documentElement);
  const accent = style.getPropertyValue('--accent').trim();
  const grid = style.getPropertyValue('--line').trim();
  const muted = style.getPropertyValue('--muted').trim();

  const done = perSecond.slice(0, SECONDS - 1); // seconds that are over
  const top = niceMax(Math.max(...done));
  const left = 32;
  const bottom = height - 18;
  const plotHeight = bottom - 8;
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = muted;
  g.strokeStyle = grid;
  g.lineWidth = 1;
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (const fraction of [0, 0.5, 1]) {
    const y = Math.round(bottom - fraction * plotHeight) + 0.5;
    g.beginPath();
    g.moveTo(left, y);
    g.lineTo(width, y);
    g.stroke();
    g.fillText(String(Math.round(top * fraction)), left - 6, y);
  }
  g.textAlign = 'center';
  g.textBaseline = 'alphabetic';
  g.fillText('−60 s', left + 14, height - 3);
  g.fillText('now', width - 12, height - 3);

  const slot = (width - left) / done.length;
  const sum = done.reduce((a, b) => a + b, 0);
  canvas.setAttribute('aria-label', `Events per second over the last minute: ${sum} events, `
    + `peak ${Math.max(...done)} per second`);
  g.fillStyle = accent;
  done.forEach((count, i) => {
    if (!count) return;
    const h = Math.max(2, (count / top) * plotHeight);
    g.fillRect(left + i * slot + 1, bottom - h, Math.max(1, slot - 2), h);
  });
}

/** A round upper bound for the y axis, whose half is a whole number too: 4, 10, 20, 50, 100, … */
function niceMax(value) {
  if (value <= 4) return 4;
  if (value <= 10) return 10;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((bound) => bound >= value);
}

// The form: validated here so mistakes are explained before a round trip.
const form = document.getElementById('send');
const result = document.getElementById('send-result');
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const channel = form.channel.value.trim();
  const title = form.title.value.trim();
  const body = form.body.value.trim();
  const link = form.link.value.trim();
  result.className = 'form-result';
  if (!isSegment(channel)) return fail('Choose a channel: letters, digits and . _ ~ - only.', form.channel);
  if (!title) return fail('Give the notification a title.', form.title);
  const notification = { channel, title, level: form.level.value };
  if (body) notification.body = body;
  if (link) notification.link = link;
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  const answer = await postJson('/api/v1/notifications', notification);
  button.disabled = false;
  if (!answer.ok) return fail(answer.error);
  result.textContent = `Sent to ${channel}.`;
  result.classList.add('ok');
  form.title.value = '';
  form.body.value = '';
  form.link.value = '';
  form.title.focus();
});

function fail(message, field) {
  result.textContent = message;
  result.classList.add('error');
  field?.focus();
}
