// Helpers shared by the pages. Everything a user or publisher supplied is put into the page
// as text (textContent), never parsed as HTML.

const STATUS_LABELS = {
  connecting: 'Connecting',
  open: 'Open',
  reconnecting: 'Reconnecting',
  closed: 'Closed',
};

/** Creates an element; `text` becomes its textContent, `attrs` its attributes. */
export function el(tag, { text, className, attrs = {} } = {}, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined && text !== null) node.textContent = String(text);
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

/** An onStatus callback for tidings.js that keeps the page's status pill up to date. */
export function statusPill(pill = document.getElementById('status')) {
  return (status, detail = {}) => {
    pill.dataset.status = status;
    pill.textContent = STATUS_LABELS[status] ?? status;
    pill.title = detail.delay ? `Next attempt in ${Math.ceil(detail.delay / 1000)} s` : '';
  };
}

/** An onReset callback: shows the page's "you may have missed events" notice. */
export function resetNotice(notice = document.getElementById('notice')) {
  const text = notice.querySelector('.notice-text');
  notice.querySelector('button')?.addEventListener('click', () => { notice.hidden = true; });
  return () => {
    text.textContent = 'You may have missed events: the server no longer had everything '
      + 'since the last event this page saw. New events are shown as they arrive.';
    notice.hidden = false;
  };
}

/** A token for the streams and the API, from the page's own `?token=` parameter. */
export function pageToken() {
  return new URLSearchParams(location.search).get('token');
}

/** Request headers for the API: JSON, and the page's token when it has one. */
function apiHeaders(extra = {}) {
  const headers = { Accept: 'application/json', ...extra };
  const token = pageToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

/** POSTs JSON; resolves to {ok, status, body}, with a readable `error` when not ok. */
export async function postJson(path, body) {
  let response;
  try {
    response = await fetch(path, { method: 'POST', headers: apiHeaders({ 'Content-Type': 'application/json' }),
      body: JSON.stringify(body) });
  } catch {
    return { ok: false, status: 0, error: 'The server cannot be reached.' };
  }
  const answer = await response.json().catch(() => null);
  if (response.ok) return { ok: true, status: response.status, body: answer };
  const error = answer?.detail || answer?.title || `The server answered ${response.status}.`;
  return { ok: false, status: response.status, body: answer, error };
}

/** GETs JSON; resolves to the parsed body, or null when the server cannot be reached or refuses. */
export async function getJson(path) {
  try {
    const response = await fetch(path, { headers: apiHeaders() });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

/** Local wall-clock time of an ISO instant, e.g. 14:03:27. */
export function clock(iso, withMillis = false) {
  const date = iso ? new Date(iso) : new Date();
  if (Number.isNaN(date.getTime())) return '';
  const text = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  return withMillis ? `${text}.${String(date.getMilliseconds()).padStart(3, '0')}` : text;
}

/** A <time> element showing clock(iso), with the instant itself as its datetime. */
export function timeElement(iso) {
  return el('time', { text: clock(iso), attrs: iso ? { datetime: iso } : {} });
}

/** One topic segment (a room or a channel), as the server accepts it. */
export function isSegment(text) {
  return /^[A-Za-z0-9._~-]{1,200}$/.test(text);
}

/** A link target safe to put in href: http(s) or a path on this site. */
export function safeHref(link) {
  if (typeof link !== 'string') return null;
  try {
    const url = new URL(link, location.origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Removes the oldest children of `list` beyond `max` (the newest are first). */
export function trim(list, max) {
  while (list.children.length > max) list.lastElementChild.remove();
}
