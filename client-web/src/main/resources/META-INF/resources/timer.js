// Timer: the classic SSE demo. Ticks carry a sequence number (also the event id, so the
// browser's Last-Event-ID continues the count after a reconnect) and the server's time.
import { connect } from '/tidings.js';
import { statusPill, pageToken, clock } from '/ui.js';

const counter = document.getElementById('counter');
const serverTime = document.getElementById('server-time');
const serverInstant = document.getElementById('server-instant');
const period = document.getElementById('period');

const chosen = new URLSearchParams(location.search).get('period');
if (chosen && [...period.options].some((option) => option.value === chosen)) period.value = chosen;

let stream = start();

period.addEventListener('change', () => {
  // A new period is a new timer: close the old stream and count from zero.
  stream.close();
  counter.textContent = '0';
  const url = new URL(location.href);
  url.searchParams.set('period', period.value);
  history.replaceState(null, '', url);
  stream = start();
});

function start() {
  return connect({
    url: '/api/v1/timer',
    params: { period: period.value },
    types: ['tick'],
    token: pageToken(),
    onStatus: statusPill(),
    onEvent({ data }) {
      counter.textContent = String(data.seq);
      serverTime.textContent = clock(data.time, true);
      serverTime.setAttribute('datetime', data.time);
      serverInstant.textContent = data.time;
    },
  });
}
