// tidings.js: Tidings streams over EventSource, for pages served by the Tidings server.
//
//   import { connect } from '/tidings.js';
//   const stream = connect({
//     url: '/api/v1/events',
//     topics: ['chat/lobby', 'notifications/*'],  // several topics on one connection
//     join: ['lobby'],     // count as a member of these chat rooms (their topics listed above)
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
//
// One stream per browser: streams of the general endpoint (/api/v1/events) opened by tabs of one
// origin, for the same server and token, share one EventSource. One of them leads (it holds a Web
// Lock) and streams the union of everyone's topics; it passes each event over a BroadcastChannel
// and every stream takes only its own topics and types, with its own ordering, de-duplication,
// reset and status. When the union changes the leader opens the new stream from the newest id it
// saw before closing the old one; when it closes (or its tab is frozen) the next stream in line
// takes over and resumes from the oldest point any stream had reached. `shared: false` opts out;
// browsers without Web Locks (or pages outside a secure context) get a stream of their own.

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
/** How long a new leader hears out the other streams before it opens the union of their topics. */
const GATHER_MS = 150;

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

/**
 * Whether a topic matches a subscription: the topic itself, or a pattern where `*` stands for one
 * segment and `**` for one or more, as the server matches them.
 */
export function topicMatches(pattern, topic) {
  const want = pattern.split('/');
  const have = topic.split('/');
  const from = (i, j) => {
    if (i === want.length) return j === have.length;
    if (want[i] === '**') {
      for (let k = j + 1; k <= have.length; k++) if (from(i + 1, k)) return true;
      return false;
    }
    return j < have.length && (want[i] === '*' || want[i] === have[j]) && from(i + 1, j + 1);
  };
  return from(0, 0);
}

/** The newer of two ids (either may be null). */
function newer(a, b) {
  if (a == null) return b ?? null;
  if (b == null) return a;
  return compareIds(a, b) >= 0 ? a : b;
}

/** The older of two ids, ignoring a null. */
function older(a, b) {
  if (a == null) return b ?? null;
  if (b == null) return a;
  return compareIds(a, b) <= 0 ? a : b;
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
 * - topics: values of repeated `topic` query parameters; join: chat rooms this stream is a member
 *   of (`join` parameters; each room's topic must be among the topics); params: other query
 *   parameters (a value may be an array); types: SSE event names to listen for (DEFAULT_TYPES)
 * - lastEventId: resume after this id from the start
 * - token: a string, or a function called before every connection; tokenIn: 'cookie'
 *   (the tidings_token cookie, the default) or 'query' (the access_token parameter)
 * - backoff: {initial, max, factor} in ms for backoffDelay, or a function attempt => ms
 * - shared: false for a stream of its own even where tabs could share one (see the top)
 * - onEvent, onStatus, onReset: callbacks (see the top of this file)
 * - EventSource, timers ({setTimeout, clearTimeout}), random: replaceable for tests (a stream
 *   given its own EventSource is never shared)
 * Returns {status, lastEventId, shared, close()}.
 */
export function connect(options) {
  const receiver = createReceiver(options);
  if (options.shared !== false && canShare(options)) return connectShared(options, receiver);
  const source = openSource(options, receiver);
  return {
    get status() { return receiver.status; },
    get lastEventId() { return receiver.lastEventId; },
    shared: false,
    close() {
      source.close();
      receiver.changeStatus(CLOSED);
    },
  };
}

/**
 * What one connect() call hands its page: events of its topics and types, each id at most once
 * and in order, resets, and status changes.
 */
function createReceiver({ topics = [], types = DEFAULT_TYPES, lastEventId = null, onEvent = () => {},
  onStatus = () => {}, onReset = () => {} }) {
  const wanted = new Set(types);
  let newestId = lastEventId ?? null; // events at or before it are duplicates
  let status = null;
  return {
    get status() { return status; },
    get lastEventId() { return newestId ?? lastEventId; },
    event(event) {
      if (!wanted.has(event.type)) return;
      if (event.topic !== null && topics.length && !topics.some((t) => topicMatches(t, event.topic))) return;
      if (event.id === null) {
        // A signal (current state such as a member count): no id, so no place in the order.
        onEvent(event);
        return;
      }
      if (newestId !== null && compareIds(event.id, newestId) <= 0) return; // seen already
      newestId = event.id;
      lastEventId = event.id;
      onEvent(event);
    },
    /** Events up to `id` came before this stream: it skips them. */
    startAt(id) {
      if (newestId === null) newestId = id;
    },
    reset(info) {
      // Whatever comes next is live: ids from here on are not compared with older ones.
      newestId = null;
      onReset(info);
    },
    changeStatus(next, detail = {}) {
      // A new retry is reported even while already reconnecting: its detail changed.
      if (next !== status || detail.attempt) {
        status = next;
        onStatus(next, detail);
      }
    },
  };
}

/**
 * One EventSource and its re-creation: it opens `spec` (url, topics, join, params, types, token,
 * tokenIn, lastEventId, backoff) and tells `sink` (event, reset, changeStatus) what it gets. It resumes
 * from the newest id it delivered and skips ids at or before it. Returns {position, close()}.
 */
function openSource(spec, sink) {
  const {
    url,
    topics = [],
    join = [],
    params = {},
    types = DEFAULT_TYPES,
    token = null,
    tokenIn = 'cookie',
    backoff = {},
    EventSource: Source = globalThis.EventSource,
    timers = globalThis,
    random = Math.random,
  } = spec;
  const delayFor = typeof backoff === 'function' ? backoff : (attempt) => backoffDelay(attempt, backoff, random);

  let source = null;
  let newestId = spec.lastEventId ?? null; // resume point; events at or before it are duplicates
  let attempt = 0; // re-creations since the last open
  let retryTimer = null;
  let closed = false;

  function streamUrl() {
    const target = new URL(url, globalThis.location?.href);
    for (const topic of topics) target.searchParams.append('topic', topic);
    for (const room of join) target.searchParams.append('join', room);
    for (const [name, value] of Object.entries(params)) {
      for (const v of [].concat(value)) target.searchParams.append(name, v);
    }
    const currentToken = typeof token === 'function' ? token() : token;
    if (currentToken && tokenIn === 'query') target.searchParams.set('access_token', currentToken);
    if (currentToken && tokenIn === 'cookie') setTokenCookie(currentToken);
    if (newestId !== null) target.searchParams.set('lastEventId', newestId);
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
      sink.changeStatus(OPEN);
    }));
    es.addEventListener('error', current(() => {
      if (es.readyState === SOURCE_CLOSED) {
        recreateLater();
      } else {
        sink.changeStatus(RECONNECTING); // the browser retries by itself after `retry:`
      }
    }));
    es.addEventListener('reset', current((e) => {
      newestId = null;
      sink.reset(parse(e.data) ?? { reason: 'history-gap', lastEventId: spec.lastEventId ?? null });
    }));
    for (const type of types) es.addEventListener(type, current(deliver));
  }

  function deliver(e) {
    const event = toEvent(e);
    if (event.id !== null) {
      if (newestId !== null && compareIds(event.id, newestId) <= 0) return; // seen already
      newestId = event.id;
    }
    sink.event(event);
  }

  function recreateLater() {
    source.close();
    source = null;
    attempt += 1;
    const delay = delayFor(attempt);
    sink.changeStatus(RECONNECTING, { attempt, delay });
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      if (!closed) open();
    }, delay);
  }

  sink.changeStatus(CONNECTING);
  open();
  return {
    get position() { return newestId; },
    close() {
      if (closed) return;
      closed = true;
      if (retryTimer !== null) timers.clearTimeout(retryTimer);
      retryTimer = null;
      source?.close();
      source = null;
    },
  };
}

function canShare({ url, EventSource: own }) {
  return !own && typeof globalThis.BroadcastChannel === 'function' && !!globalThis.navigator?.locks
    && new URL(url, globalThis.location?.href).pathname.endsWith('/api/v1/events');
}

/** Streams share when they go to the same endpoint with the same parameters and token. */
function shareKey({ url, params = {}, token = null, tokenIn = 'cookie' }) {
  const target = new URL(url, globalThis.location?.href);
  const sorted = Object.keys(params).sort().map((name) => [name, [].concat(params[name]).map(String)]);
  const currentToken = typeof token === 'function' ? token() : token;
  return `tidings:${target.origin}${target.pathname}:${JSON.stringify(sorted)}:${tokenIn}:${currentToken ?? ''}`;
}

const union = (lists) => [...new Set(lists.flat())].sort();

/**
 * A stream that shares one EventSource with the other streams of this browser that have the same
 * key. Messages on the channel: `join` (a stream's topics, rooms, types and the id it has reached),
 * `welcome` (the leader's answer: where its stream is), `leave`, `who` (a new leader asks the
 * others to join again), and from the leader `event`, `reset` and `status`.
 */
function connectShared(options, receiver) {
  const key = shareKey(options);
  const channel = new BroadcastChannel(key);
  const me = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const want = {
    topics: [...(options.topics ?? [])],
    join: [...(options.join ?? [])],
    types: [...(options.types ?? DEFAULT_TYPES)],
  };
  const release = new AbortController();
  let seen = options.lastEventId ?? null; // newest id of the shared stream this stream has had
  let welcomed = false;
  let leader = null; // while this stream leads
  let closed = false;

  const post = (message) => channel.postMessage(message);
  const joinMessage = () => ({ kind: 'join', member: me, ...want, lastEventId: seen });

  function onMessage({ data: message }) {
    if (closed) return;
    if (leader) {
      leader.handle(message);
      return;
    }
    switch (message.kind) {
      case 'who':
        welcomed = false;
        post(joinMessage());
        break;
      case 'welcome':
        if (message.member !== me) break;
        welcomed = true;
        if (message.position !== null) {
          seen = newer(seen, message.position);
          receiver.startAt(message.position);
        }
        if (message.status) receiver.changeStatus(message.status);
        message.signals.forEach((signal) => receiver.event(signal));
        break;
      case 'event':
        if (!welcomed) break;
        if (message.event.id !== null) seen = newer(seen, message.event.id);
        receiver.event(message.event);
        break;
      case 'reset':
        if (welcomed) receiver.reset(message.info);
        break;
      case 'status':
        if (welcomed) receiver.changeStatus(message.status, message.detail);
        break;
      default:
    }
  }

  function lead(done) {
    leader = createLeader({ options, me, want, seen, receiver, post, done });
  }

  function requestLead() {
    navigator.locks.request(key, { signal: release.signal }, () => new Promise((done) => {
      if (closed) done();
      else lead(done);
    })).catch(() => {}); // aborted by close()
  }

  function stepDown() {
    if (!leader) return;
    seen = newer(seen, leader.position);
    leader.stop();
    leader = null;
    welcomed = false;
  }

  // A frozen tab cannot pass events on: its leader hands over, and it joins again when it resumes.
  const onFreeze = () => {
    if (leader) {
      stepDown();
      requestLead();
    }
  };
  const onResume = () => {
    if (!leader && !closed) {
      welcomed = false;
      post(joinMessage());
    }
  };
  // Leaving for good says so, so the leader drops this stream's topics and rooms at once.
  const onPageHide = (e) => (e.persisted ? onFreeze() : close());
  const onPageShow = (e) => e.persisted && onResume();
  globalThis.document?.addEventListener('freeze', onFreeze);
  globalThis.document?.addEventListener('resume', onResume);
  globalThis.addEventListener?.('pagehide', onPageHide);
  globalThis.addEventListener?.('pageshow', onPageShow);

  function close() {
    if (closed) return;
    closed = true;
    globalThis.document?.removeEventListener('freeze', onFreeze);
    globalThis.document?.removeEventListener('resume', onResume);
    globalThis.removeEventListener?.('pagehide', onPageHide);
    globalThis.removeEventListener?.('pageshow', onPageShow);
    if (leader) stepDown();
    else post({ kind: 'leave', member: me });
    release.abort();
    channel.close();
    receiver.changeStatus(CLOSED);
  }

  channel.onmessage = onMessage;
  receiver.changeStatus(CONNECTING);
  post(joinMessage());
  requestLead();
  return {
    get status() { return receiver.status; },
    get lastEventId() { return receiver.lastEventId; },
    shared: true,
    close,
  };
}

/**
 * The leading stream's part: it keeps every stream's wishes, holds one EventSource for their
 * union, passes on what it gets, and replaces the EventSource when the union changes (the new one
 * opens before the old one closes, and resumes from the newest id the old one delivered).
 */
function createLeader({ options, me, want, seen, receiver, post, done }) {
  const members = new Map([[me, { ...want, lastEventId: seen }]]);
  let position = seen; // newest id the shared stream reached
  const signals = new Map(); // the latest signal (current state, e.g. a member count) per topic and type
  let status = null;
  let current = null; // {source, plan}
  let next = null; // opening, to replace current
  let gathering = null;

  const sink = (opening) => ({
    event(event) {
      if (event.id !== null) position = newer(position, event.id);
      else if (event.topic !== null) signals.set(`${event.topic} ${event.type}`, event);
      post({ kind: 'event', event });
      receiver.event(event);
    },
    reset(info) {
      post({ kind: 'reset', info });
      receiver.reset(info);
    },
    changeStatus(state, detail = {}) {
      if (state === OPEN && next === opening) promote();
      // Only the stream in use speaks for everyone (the first one while it opens).
      if (current !== opening && !(current === null && next === opening)) return;
      status = state;
      post({ kind: 'status', status: state, detail });
      receiver.changeStatus(state, detail);
    },
  });

  function plan() {
    const all = [...members.values()];
    return { topics: union(all.map((m) => m.topics)), join: union(all.map((m) => m.join)),
      types: union(all.map((m) => m.types)) };
  }

  function open(resumeFrom) {
    const wanted = plan();
    if (next) next.source.close();
    const opening = { plan: wanted };
    next = opening;
    opening.source = openSource({ ...options, ...wanted, lastEventId: resumeFrom }, sink(opening));
  }

  function promote() {
    if (!next) return;
    const old = current;
    current = next;
    next = null;
    old?.source.close();
  }

  /** After a join or a leave: a new union, or a stream that must see events from before `from`. */
  function replan(from) {
    if (current === null && next === null) return; // still gathering
    const active = (next ?? current).plan;
    const behind = from !== null && (position === null || compareIds(from, position) < 0);
    if (behind || JSON.stringify(active) !== JSON.stringify(plan())) open(behind ? from : position);
  }

  function handle(message) {
    switch (message.kind) {
      case 'join': {
        const { member, topics, join, types, lastEventId } = message;
        members.set(member, { topics, join, types, lastEventId });
        // A stream that joins one already open gets the current state the others were sent.
        post({ kind: 'welcome', member, position, status, signals: [...signals.values()] });
        replan(lastEventId);
        break;
      }
      case 'leave':
        if (members.delete(message.member)) replan(null);
        break;
      default:
    }
  }

  // Hear the others out first, then open their union from the oldest point any of them reached.
  post({ kind: 'who', member: me });
  gathering = setTimeout(() => {
    gathering = null;
    open([...members.values()].reduce((from, m) => older(from, m.lastEventId), position));
  }, GATHER_MS);

  return {
    handle,
    get position() { return position; },
    stop() {
      if (gathering !== null) clearTimeout(gathering);
      next?.source.close();
      current?.source.close();
      next = null;
      current = null;
      done();
    },
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
