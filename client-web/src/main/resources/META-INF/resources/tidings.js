// tidings.js: one Tidings stream over EventSource, for pages served by the Tidings server.
//
//   import { connect } from '/tidings.js';
//   const stream = connect({
//     url: '/api/v1/events',
//     topics: ['chat/lobby', 'notifications/*'],  // several topics on one connection
//     onEvent(event) {},   // {id, topic, type, time, data}; each id at most once, in order;
//                          // signals (id null: current state such as presence) as they come
//     onStatus(status, detail) {},  // 'connecting' | 'open' | 'reconnecting' | 'closed'
//     onReset(info) {},    // {reason, lastEventId}: the page may have missed events
//   });
//   stream.close();
//
// The browser's EventSource reconnects by itself after a network error or a clean end of the
// stream, sending Last-Event-ID. It gives up for good on any other answer than a 200 event
// stream (a 503 while a server shuts down, a 429 at a limit); this module then creates a new
// one after an exponential backoff with jitter, resuming with the lastEventId query parameter.

export const CONNECTING = 'connecting';
export const OPEN = 'open';
export const RECONNECTING = 'reconnecting';
export const CLOSED = 'closed';

/** Event types the server sends on its streams; `reset` is handled on its own. */
export const DEFAULT_TYPES = ['message', 'notification', 'presence', 'tick'];

/** Name of the cookie the server reads a token from (EventSource cannot set headers). */
export const TOKEN_COOKIE = 'tidings_token';

const SOURCE_CLOSED = 2; // EventSource.CLOSED
const ID_FORMAT = /^\d+(?:-\d+)*$/;

/**
 * Orders two event ids: `<millis>-<seq>` compared part by part as numbers, timer ids as
 * integers. Negative, zero or positive; NaN when they are different and not comparable.
 */
export function compareIds(a, b) {
  if (a === b) return 0;
  if (!ID_FORMAT.test(a) || !ID_FORMAT.test(b)) return NaN;
  const pa = a.split('-');
  const pb = b.split('-');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    // Digit strings without leading zeros: the longer is larger, else they compare as text.
    const x = (pa[i] ?? '').replace(/^0+(?=\d)/, '');
    const y = (pb[i] ?? '').replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * The wait before re-creation number `attempt` (1, 2, …): initial·factor^(attempt-1), capped at
 * max, of which a random half is taken away ("equal jitter") so clients do not return together.
 */
export function backoffDelay(attempt, { initial = 1000, max = 30000, factor = 2 } = {}, random = Math.random) {
  const base = Math.min(max, initial * factor ** (attempt - 1));
  return Math.round(base / 2 + random() * (base / 2));
}

/** Stores a token where the server looks for it on same-origin stream requests. */
export function setTokenCookie(token, doc = globalThis.document) {
  const value = token ? encodeURIComponent(token) : '';
  const expiry = token ? '' : '; max-age=0';
  doc.cookie = `${TOKEN_COOKIE}=${value}; path=/; SameSite=Strict${expiry}`;
}

/**
 * Opens a stream. Options:
 * - url: the stream endpoint ('/api/v1/events', '/api/v1/chat/lobby', '/api/v1/timer', …)
 * - topics: values of repeated `topic` query parameters; params: other query parameters
 *   (a value may be an array); types: SSE event names to listen for (DEFAULT_TYPES)
 * - lastEventId: resume after this id from the start
 * - token: a string, or a function called before every connection; tokenIn: 'cookie'
 *   (the tidings_token cookie, the default) or 'query' (the access_token parameter)
 * - backoff: {initial, max, factor} in ms for backoffDelay, or a function attempt => ms
 * - onEvent, onStatus, onReset: callbacks (see the top of this file)
 * - EventSource, timers ({setTimeout, clearTimeout}), random: replaceable for tests
 * Returns {status, lastEventId, close()}.
 */
export function connect(options) {
  const {
    url,
    topics = [],
    params = {},
    types = DEFAULT_TYPES,
    token = null,
    tokenIn = 'cookie',
    backoff = {},
    onEvent = () => {},
    onStatus = () => {},
    onReset = () => {},
    EventSource: Source = globalThis.EventSource,
    timers = globalThis,
    random = Math.random,
  } = options;
  const delayFor = typeof backoff === 'function' ? backoff : (attempt) => backoffDelay(attempt, backoff, random);

  let source = null;
  let status = null;
  let lastEventId = options.lastEventId ?? null; // resume point
  let newestId = lastEventId; // events at or before it are duplicates
  let attempt = 0; // re-creations since the last open
  let retryTimer = null;
  let closed = false;

  function setStatus(next, detail = {}) {
    // A new retry is reported even while already reconnecting: its detail changed.
    if (next !== status || detail.attempt) {
      status = next;
      onStatus(next, detail);
    }
  }

  function streamUrl() {
    const target = new URL(url, globalThis.location?.href);
    for (const topic of topics) target.searchParams.append('topic', topic);
    for (const [name, value] of Object.entries(params)) {
      for (const v of [].concat(value)) target.searchParams.append(name, v);
    }
    const currentToken = typeof token === 'function' ? token() : token;
    if (currentToken && tokenIn === 'query') target.searchParams.set('access_token', currentToken);
    if (currentToken && tokenIn === 'cookie') setTokenCookie(currentToken);
    if (lastEventId !== null) target.searchParams.set('lastEventId', lastEventId);
    return target.toString();
  }

  function open() {
    const es = new Source(streamUrl());
    source = es;
    const current = (handler) => (e) => {
      if (es === source) handler(e);
    };
    es.addEventListener('open', current(() => {
      attempt = 0;
      setStatus(OPEN);
    }));
    es.addEventListener('error', current(() => {
      if (es.readyState === SOURCE_CLOSED) {
        recreateLater();
      } else {
        setStatus(RECONNECTING); // the browser retries by itself after `retry:`
      }
    }));
    es.addEventListener('reset', current((e) => {
      // Whatever comes next is live: ids from here on are not compared with older ones.
      newestId = null;
      onReset(parse(e.data) ?? { reason: 'history-gap', lastEventId });
    }));
    for (const type of types) es.addEventListener(type, current(deliver));
  }

  function deliver(e) {
    const event = toEvent(e);
    if (event.id === null) {
      // A signal (current state such as a member count): no id, so no place in the order.
      onEvent(event);
      return;
    }
    if (newestId !== null && compareIds(event.id, newestId) <= 0) return; // seen already
    newestId = event.id;
    lastEventId = event.id;
    onEvent(event);
  }

  function recreateLater() {
    source.close();
    source = null;
    attempt += 1;
    const delay = delayFor(attempt);
    setStatus(RECONNECTING, { attempt, delay });
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      if (!closed) open();
    }, delay);
  }

  function close() {
    if (closed) return;
    closed = true;
    if (retryTimer !== null) timers.clearTimeout(retryTimer);
    retryTimer = null;
    source?.close();
    source = null;
    setStatus(CLOSED);
  }

  setStatus(CONNECTING);
  open();
  return {
    get status() { return status; },
    get lastEventId() { return lastEventId; },
    close,
  };
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Published events carry an envelope, whose id is theirs: a signal's envelope has none (the
 * browser's lastEventId then still holds the previous event's). Timer ticks carry their data
 * alone, with the frame's id.
 */
function toEvent(e) {
  const data = parse(e.data);
  if (data !== null && typeof data === 'object' && typeof data.topic === 'string' && 'data' in data) {
    return { id: data.id ?? null, topic: data.topic, type: data.type ?? e.type, time: data.time ?? null, data: data.data };
  }
  return { id: e.lastEventId || null, topic: null, type: e.type, time: data?.time ?? null, data: data ?? e.data };
}
