// Notifications: follow some channels (or all); each notification is added to the list and
// shown briefly as a toast, coloured by its level.
import { connect } from '/tidings.js';
import { el, statusPill, resetNotice, pageToken, timeElement, safeHref, isSegment, trim } from '/ui.js';

const LEVELS = ['info', 'success', 'warning', 'error'];
const MAX_ITEMS = 100;
const TOAST_MS = 6000;

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

function follow(channels) {
  stream?.close();
  const valid = channels.filter(isSegment);
  following.textContent = valid.length ? valid.join(', ') : 'all channels';
  stream = connect({
    url: '/api/v1/notifications',
    params: { channel: valid },
    types: ['notification'],
    token: pageToken(),
    onStatus,
    onReset,
    onEvent: show,
  });
}

function show(event) {
  const n = event.data ?? {};
  const level = LEVELS.includes(n.level) ? n.level : 'info';
  list.prepend(item(n, level, event.time));
  trim(list, MAX_ITEMS);
  empty.hidden = true;
  toast(n, level);
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
