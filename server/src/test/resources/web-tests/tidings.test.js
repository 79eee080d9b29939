// Unit tests of tidings.js, run in the browser against the module the server ships. A fake
// EventSource and a fake timer stand in for the network and the clock, so nothing waits.
import {
  connect, compareIds, backoffDelay, topicMatches, TOKEN_COOKIE,
  CONNECTING, OPEN, RECONNECTING, CLOSED,
} from '/tidings.js';

/** Records every instance; tests drive them with open(), emit(), fail() and end(). */
class FakeEventSource extends EventTarget {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  static instances = [];

  constructor(url) {
    super();
    this.url = new URL(url);
    this.readyState = FakeEventSource.CONNECTING;
    this.closed = false;
    this.lastEventId = '';
    FakeEventSource.instances.push(this);
  }

  open() {
    this.readyState = FakeEventSource.OPEN;
    this.dispatchEvent(new Event('open'));
  }

  /** One event as the browser hands it out: lastEventId only changes when a frame has an id. */
  emit(type, data, id) {
    if (id !== undefined) this.lastEventId = id;
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data), lastEventId: this.lastEventId }));
  }

  /** A network error: the browser will retry by itself. */
  drop() {
    this.readyState = FakeEventSource.CONNECTING;
    this.dispatchEvent(new Event('error'));
  }

  /** A non-200 answer: the browser gives up for good. */
  fail() {
    this.readyState = FakeEventSource.CLOSED;
    this.dispatchEvent(new Event('error'));
  }

  close() {
    this.readyState = FakeEventSource.CLOSED;
    this.closed = true;
  }
}

class FakeTimers {
  pending = [];
  next = 1;

  setTimeout(fn, delay) {
    const handle = this.next++;
    this.pending.push({ handle, fn, delay });
    return handle;
  }

  clearTimeout(handle) {
    this.pending = this.pending.filter((t) => t.handle !== handle);
  }

  /** Runs the only pending callback and returns its delay. */
  fire() {
    check(this.pending.length === 1, `one pending timer, found ${this.pending.length}`);
    const { fn, delay } = this.pending.shift();
    fn();
    return delay;
  }
}

/** A stream over fakes that records what it reports. */
function fakeStream(options = {}) {
  FakeEventSource.instances = [];
  const timers = new FakeTimers();
  const seen = { events: [], statuses: [], details: [], resets: [] };
  const stream = connect({
    url: '/api/v1/events',
    topics: ['chat/lobby'],
    EventSource: FakeEventSource,
    timers,
    random: () => 0.5,
    onEvent: (e) => seen.events.push(e),
    onStatus: (s, d) => { seen.statuses.push(s); seen.details.push(d); },
    onReset: (r) => seen.resets.push(r),
    ...options,
  });
  const source = () => FakeEventSource.instances.at(-1);
  return { stream, timers, seen, source };
}

function envelope(id, data, topic = 'chat/lobby', type = 'message') {
  return { id, topic, type, time: '2026-11-21T10:00:00Z', data };
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function equal(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e} but was ${a}`);
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('ids compare numerically, not as text', () => {
  check(compareIds('1700000000000-10', '1700000000000-9') > 0, 'seq 10 after seq 9');
  check(compareIds('1700000000001-0', '1700000000000-99') > 0, 'a later millisecond wins');
  check(compareIds('10', '9') > 0, 'timer id 10 after 9');
  check(compareIds('1700000000000-3', '1700000000000-3') === 0, 'same id');
  check(compareIds('99999999999999999999-1', '100000000000000000000-0') < 0, 'beyond 2^53');
  check(Number.isNaN(compareIds('abc', '1-0')), 'not comparable');
});

test('one connection carries several topics and the query parameters', () => {
  const { source } = fakeStream({ topics: ['chat/**', 'notifications/*'], params: { period: 'PT1S', x: ['a', 'b'] } });
  equal(source().url.pathname, '/api/v1/events', 'path');
  equal(source().url.searchParams.getAll('topic'), ['chat/**', 'notifications/*'], 'topics');
  equal(source().url.searchParams.getAll('x'), ['a', 'b'], 'repeated parameter');
  equal(source().url.searchParams.get('lastEventId'), null, 'no resume point on the first connection');
  equal(FakeEventSource.instances.length, 1, 'connections');
});

test('topics match patterns as the server matches them', () => {
  check(topicMatches('chat/lobby', 'chat/lobby'), 'the topic itself');
  check(!topicMatches('chat/lobby', 'chat/lobby2'), 'another topic');
  check(topicMatches('notifications/*', 'notifications/ops'), '* is one segment');
  check(!topicMatches('notifications/*', 'notifications/ops/db'), '* is not two');
  check(!topicMatches('notifications/*', 'notifications'), '* is not none');
  check(topicMatches('**', 'a/b/c'), '** is any topic');
  check(topicMatches('a/**/z', 'a/b/c/z'), '** in the middle');
  check(!topicMatches('a/**/z', 'a/z'), '** is one segment or more');
  check(topicMatches('*/x/**', 'q/x/y'), 'both wildcards');
});

test('chat rooms to join go in join parameters, and a stream given its own EventSource is not shared', () => {
  const { source, stream } = fakeStream({ topics: ['chat/lobby'], join: ['lobby'] });
  equal(source().url.searchParams.getAll('join'), ['lobby'], 'join');
  equal(stream.shared, false, 'shared');
});

test('events of other topics or types than the stream asked for are not handed on', () => {
  const { seen, source } = fakeStream({ topics: ['chat/*'], types: ['message'] });
  source().open();
  source().emit('message', envelope('1-0', { n: 1 }, 'chat/lobby'));
  source().emit('message', envelope('2-0', { n: 2 }, 'orders/eu'));
  source().emit('message', envelope('3-0', { n: 3 }, 'chat/lobby', 'notification'));
  equal(seen.events.map((e) => e.data.n), [1], 'delivered');
});

test('status: connecting, open, reconnecting while the browser retries, open again', () => {
  const { seen, source, stream } = fakeStream();
  equal(seen.statuses, [CONNECTING], 'before open');
  source().open();
  source().drop();
  equal(stream.status, RECONNECTING, 'after a network error');
  source().open();
  equal(seen.statuses, [CONNECTING, OPEN, RECONNECTING, OPEN], 'statuses');
  equal(FakeEventSource.instances.length, 1, 'the browser reconnected the same EventSource');
});

test('events are delivered as envelopes, each id once and in order', () => {
  const { seen, source, stream } = fakeStream();
  source().open();
  source().emit('message', envelope('1700000000000-9', { author: 'ann', text: 'one' }), '1700000000000-9');
  source().emit('message', envelope('1700000000000-10', { author: 'ann', text: 'two' }), '1700000000000-10');
  source().emit('message', envelope('1700000000000-10', { author: 'ann', text: 'two' }), '1700000000000-10');
  source().emit('message', envelope('1700000000000-9', { author: 'ann', text: 'one' }), '1700000000000-9');
  source().emit('presence', envelope('1700000000001-0', { room: 'lobby', members: 2 }, 'chat/lobby', 'presence'),
    '1700000000001-0');
  equal(seen.events.map((e) => e.id), ['1700000000000-9', '1700000000000-10', '1700000000001-0'], 'delivered ids');
  equal(seen.events[0], { id: '1700000000000-9', topic: 'chat/lobby', type: 'message',
    time: '2026-11-21T10:00:00Z', data: { author: 'ann', text: 'one' } }, 'first event');
  equal(seen.events[2].type, 'presence', 'named event type');
  equal(stream.lastEventId, '1700000000001-0', 'last id');
});

test('signals (envelopes without id) are delivered every time and never move the resume point', () => {
  const { seen, source, stream, timers } = fakeStream();
  const presence = (members) => ({ topic: 'chat/lobby', type: 'presence', time: '2026-11-21T10:00:00Z',
    data: { room: 'lobby', members } });
  source().open();
  source().emit('presence', presence(1)); // before any id: the browser's lastEventId is ''
  source().emit('message', envelope('1700000000000-5', { author: 'ann', text: 'hi' }), '1700000000000-5');
  // The frames carry no id: the browser hands them out with the previous event's id.
  source().emit('presence', presence(2));
  source().emit('presence', presence(2));
  source().emit('message', envelope('1700000000000-5', { author: 'ann', text: 'hi' }), '1700000000000-5');
  source().emit('message', envelope('1700000000000-6', { author: 'bob', text: 'yo' }), '1700000000000-6');
  source().emit('presence', presence(1));
  equal(seen.events.map((e) => [e.type, e.id, e.data.members ?? e.data.text]), [
    ['presence', null, 1], ['message', '1700000000000-5', 'hi'], ['presence', null, 2], ['presence', null, 2],
    ['message', '1700000000000-6', 'yo'], ['presence', null, 1]], 'delivered');
  equal(stream.lastEventId, '1700000000000-6', 'resume point after the last signal');
  source().fail();
  timers.fire();
  equal(source().url.searchParams.get('lastEventId'), '1700000000000-6', 'a new EventSource resumes after the last id');
  stream.close();
});

test('a stream that starts from a page\'s history resumes after it and skips what the page has', () => {
  const { seen, source } = fakeStream({ lastEventId: '1700000000000-7' });
  equal(source().url.searchParams.get('lastEventId'), '1700000000000-7', 'resumes after the newest shown');
  source().open();
  source().emit('message', envelope('1700000000000-7', { text: 'shown already' }), '1700000000000-7');
  source().emit('message', envelope('1700000000000-8', { text: 'new' }), '1700000000000-8');
  equal(seen.events.map((e) => e.id), ['1700000000000-8'], 'only what came after');
});

test('timer ticks keep their data and integer ids', () => {
  const { seen, source } = fakeStream({ url: '/api/v1/timer', topics: [], types: ['tick'] });
  source().open();
  for (const seq of [9, 10, 10, 11]) source().emit('tick', { seq, time: '2026-11-21T10:00:00Z' }, String(seq));
  equal(seen.events.map((e) => e.data.seq), [9, 10, 11], 'ticks');
  equal(seen.events[0], { id: '9', topic: null, type: 'tick', time: '2026-11-21T10:00:00Z',
    data: { seq: 9, time: '2026-11-21T10:00:00Z' } }, 'tick');
});

test('a reset is surfaced, and the events after it are delivered', () => {
  const { seen, source } = fakeStream({ lastEventId: '1700000000500-0' });
  equal(source().url.searchParams.get('lastEventId'), '1700000000500-0', 'resumes from the given id');
  source().open();
  source().emit('reset', { reason: 'history-gap', lastEventId: '1700000000500-0' });
  // A server that restarted with its clock behind: lower ids are live events, not duplicates.
  source().emit('message', envelope('1700000000100-0', { author: 'bob', text: 'live' }), '1700000000100-0');
  equal(seen.resets, [{ reason: 'history-gap', lastEventId: '1700000000500-0' }], 'resets');
  equal(seen.events.map((e) => e.id), ['1700000000100-0'], 'events after the reset');
});

test('when the browser gives up, a new EventSource resumes after a growing, capped backoff', () => {
  const { seen, source, timers } = fakeStream({ backoff: { initial: 1000, max: 8000, factor: 2 } });
  source().open();
  source().emit('message', envelope('1700000000000-4', { author: 'ann', text: 'hi' }), '1700000000000-4');
  const delays = [];
  for (let attempt = 1; attempt <= 5; attempt++) {
    const before = source();
    before.fail();
    check(before.closed, 'the failed EventSource is closed');
    equal(seen.statuses.at(-1), RECONNECTING, `status after failure ${attempt}`);
    equal(seen.details.at(-1).attempt, attempt, 'attempt reported');
    delays.push(timers.fire());
    check(source() !== before, 'a new EventSource');
    equal(source().url.searchParams.get('lastEventId'), '1700000000000-4', 'resumes from the last id');
  }
  // Equal jitter with random() = 0.5: three quarters of 1, 2, 4, 8 (the cap), 8 seconds.
  equal(delays, [750, 1500, 3000, 6000, 6000], 'delays');
  source().open();
  source().fail();
  equal(timers.fire(), 750, 'the backoff starts over after a successful open');
  equal(seen.events.length, 1, 'events');
});

test('the backoff is jittered between half and all of its base, and capped', () => {
  equal(backoffDelay(1, {}, () => 0), 500, 'lowest first delay');
  equal(backoffDelay(1, {}, () => 1), 1000, 'highest first delay');
  equal(backoffDelay(3, {}, () => 1), 4000, 'third delay');
  equal(backoffDelay(30, {}, () => 1), 30000, 'default cap');
  const jittered = new Set(Array.from({ length: 20 }, () => backoffDelay(2)));
  check(jittered.size > 1, 'real jitter varies');
  check([...jittered].every((d) => d >= 1000 && d <= 2000), 'within [base/2, base]');
});

test('events from an EventSource that was replaced are ignored', () => {
  const { seen, source, timers } = fakeStream();
  const old = source();
  old.open();
  old.fail();
  timers.fire();
  old.emit('message', envelope('1700000000000-1', {}), '1700000000000-1');
  old.dispatchEvent(new Event('open'));
  equal(seen.events.length, 0, 'events');
  equal(seen.statuses.at(-1), RECONNECTING, 'status');
});

test('close() stops everything, including a pending re-creation', () => {
  const { stream, seen, source, timers } = fakeStream();
  source().open();
  source().fail();
  stream.close();
  equal(timers.pending.length, 0, 'no pending re-creation');
  equal(stream.status, CLOSED, 'status');
  equal(seen.statuses.at(-1), CLOSED, 'reported');
  equal(FakeEventSource.instances.length, 1, 'no new EventSource');
  const open = fakeStream();
  open.stream.close();
  check(open.source().closed, 'an open EventSource is closed');
});

test('a token goes in the access_token query parameter or the tidings_token cookie', () => {
  let calls = 0;
  const query = fakeStream({ token: () => `t${++calls}`, tokenIn: 'query' });
  equal(query.source().url.searchParams.get('access_token'), 't1', 'query token');
  query.source().fail();
  query.timers.fire();
  equal(query.source().url.searchParams.get('access_token'), 't2', 'asked again on re-creation');

  const cookie = fakeStream({ token: 'secret token' });
  equal(cookie.source().url.searchParams.get('access_token'), null, 'not in the URL');
  check(document.cookie.split('; ').includes(`${TOKEN_COOKIE}=secret%20token`), `cookie set: ${document.cookie}`);
  cookie.stream.close();
});

const results = [];
for (const { name, fn } of tests) {
  try {
    await fn();
    results.push({ name, passed: true, message: '' });
  } catch (e) {
    results.push({ name, passed: false, message: String(e?.stack ?? e) });
  }
  const line = document.createElement('li');
  line.textContent = `${results.at(-1).passed ? 'PASS' : 'FAIL'} ${name}`;
  document.getElementById('results').append(line);
}
window.tidingsTestResults = results;
