// Notifications: follow some channels (or all); the latest notifications are listed on
// opening, and each new one is added to the list and shown briefly as a toast, coloured by its
// level.
import { connect, compareIds } from '/tidings.js';
import { el, statusPill, resetNotice, pageToken, getJson, timeElement, safeHref, isSegment, trim } from '/ui.js';

const LEVELS = ['info', 'success', 'warning', 'error'];
const MAX_ITEMS = 100;
const RECENT_ITEMS = 20;
const TOAST_MS = 6000;
const CHANNEL_TOPIC = /^notifications\/([^/]+)$/;

const form = document.getElementById('channels-form');
const input = document.getElementById('channels');
const error = document.getElementById('channels-error');
const following = document.getElementById('following');
const list = document.getElementById('notifications');
const empty = document.getElementById('list-empty');
const toasts = document.getElementById('toasts');
const onStatus = statusPill();
const onReset = resetNotice();

let stream = null;
let follows = 0; // counts follow() calls, so a slower earlier one gives way
follow(new URLSearchParams(location.search).getAll('channel'));
input.value = channelsOfPage().join(', ');

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const channels = input.value.split(/[\s,]+/).filter(Boolean);
  const wrong = channels.find((channel) => !isSegment(channel));
  if (wrong !== undefined) {
    error.textContent = `"${wrong}" is not a channel name: use letters, digits and . _ ~ - only.`;
    input.focus();
    return;
  }
  error.textContent = '';
  const url = new URL(location.href);
  url.searchParams.delete('channel');
  channels.forEach((channel) => url.searchParams.append('channel', channel));
  history.replaceState(null, '', url);
  follow(channels);
});

document.getElementById('clear').addEventListener('click', () => {
  list.replaceChildren();
  empty.hidden = false;
});

function channelsOfPage() {
  return new URLSearchParams(location.search).getAll('channel').filter(isSegment);
}

async function follow(channels) {
  stream?.close();
  stream = null;
  const current = ++follows;
  const valid = channels.filter(isSegment);
  following.textContent = valid.length ? valid.join(', ') : 'all channels';
  list.replaceChildren();
  empty.hidden = false;
  const recent = await recentNotifications(valid);
  if (current !== follows) return;
  recent.events.forEach((event) => show(event, { toast: false }));
  stream = connect({
    // The general stream, so this tab shares one connection with the browser's other Tidings tabs.
    url: '/api/v1/events',
    topics: valid.length ? valid.map((channel) => `notifications/${channel}`) : ['notifications/*'],
    types: ['notification'],
    lastEventId: recent.resumeFrom,
    token: pageToken(),
    onStatus,
    onReset,
    onEvent: show,
  });
}

/**
 * The latest notifications of the channels (all when none), oldest first, and the id to stream
 * from. That id is the newest one the channels had before their histories were read, so each
 * read covers everything up to it and the stream replays everything after it: a notification
 * is neither missed nor shown twice, however the reads interleave with publishing.
 */
async function recentNotifications(channels) {
  const topics = await getJson('/api/v1/topics');
  const newest = new Map(); // channel -> its newest retained id
  for (const { topic, lastEventId } of Array.isArray(topics) ? topics : []) {
    const channel = CHANNEL_TOPIC.exec(topic)?.[1];
    if (channel && lastEventId && (!channels.length || channels.includes(channel))) newest.set(channel, lastEventId);
  }
  const byNewest = [...newest].sort(([, a], [, b]) => compareIds(b, a));
  if (!byNewest.length) return { events: [], resumeFrom: undefined };
  const resumeFrom = byNewest[0][1];
  // The latest RECENT_ITEMS notifications lie in the RECENT_ITEMS channels with the newest ids.
  const reads = byNewest.slice(0, RECENT_ITEMS).map(([channel]) =>
    getJson(`/api/v1/topics/notifications/${encodeURIComponent(channel)}/events?last=${RECENT_ITEMS}`));
  const events = (await Promise.all(reads)).flatMap((read) => (Array.isArray(read) ? read : []))
    .filter((event) => event.type === 'notification' && compareIds(event.id, resumeFrom) <= 0)
    .sort((a, b) => compareIds(a.id, b.id))
    .slice(-RECENT_ITEMS);
  return { events, resumeFrom };
}

function show(event, { toast: withToast = true } = {}) {
  const n = event.data ?? {};
  const level = LEVELS.includes(n.level) ? n.level : 'info';
  list.prepend(item(n, level, event.time));
  trim(list, MAX_ITEMS);
  empty.hidden = true;
  if (withToast) toast(n, level);
}

function item(n, level, time) {
  const head = el('div', { className: 'n-head' },
    el('span', { className: `level level-${level}`, text: level }),
    el('strong', { className: 'n-title', text: n.title ?? '' }),
    timeElement(time));
  const href = safeHref(n.link);
  return el('li', { className: `notification level-${level}`, attrs: { 'data-level': level } },
    head,
    n.body ? el('p', { className: 'n-body', text: n.body }) : null,
    el('div', { className: 'n-meta' },
      el('span', { className: 'channel', text: `#${n.channel ?? ''}` }),
      href ? el('a', { text: 'Open link', attrs: { href, rel: 'noopener noreferrer' } }) : null));
}

function toast(n, level) {
  const card = el('div', { className: `toast level-${level}` },
    el('span', { className: `level level-${level}`, text: level }),
    el('strong', { text: n.title ?? '' }),
    n.body ? el('span', { className: 'toast-body', text: n.body }) : null);
  card.addEventListener('click', () => card.remove());
  toasts.prepend(card);
  trim(toasts, 4);
  setTimeout(() => card.remove(), TOAST_MS);
}
