// The SSE server most tutorials teach: Node's http module and one EventEmitter.
//   GET  /sub/:topic  an SSE stream of the topic's events
//   POST /pub/:topic  publishes the request body as one event (201)
// No history and no resume: a client that reconnects gets live events only.
// The same handler also serves HTTP/2 with prior knowledge (h2c) on a second port, through
// node's http2 compatibility API; with "gzip", streams are gzipped (zlib, flushed per event)
// for clients that accept it.
// Usage: node server.js [port] [host] [h2c-port] [gzip|identity]
'use strict';

const http = require('http');
const http2 = require('http2');
const zlib = require('zlib');
const { EventEmitter } = require('events');

const port = Number(process.argv[2] || process.env.PORT || 3000);
const host = process.argv[3] || '127.0.0.1';
const h2cPort = Number(process.argv[4] || 0);
const gzip = process.argv[5] === 'gzip';
const bus = new EventEmitter();
bus.setMaxListeners(0); // thousands of subscribers per topic
let nextId = 0;

// The body the events are written to: the response itself, or a gzip stream in front of it.
function eventBody(req, res, headers) {
  if (!gzip || !/\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
    res.writeHead(200, headers);
    return { write: (text) => res.write(text), close: () => {} };
  }
  res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip' });
  const compressed = zlib.createGzip();
  compressed.pipe(res);
  return {
    write: (text) => {
      compressed.write(text);
      compressed.flush(zlib.constants.Z_SYNC_FLUSH);
    },
    close: () => compressed.destroy(),
  };
}

function handle(req, res) {
  const match = /^\/(sub|pub)\/([A-Za-z0-9._~-]+)$/.exec(req.url);
  if (!match) {
    res.writeHead(404).end();
    return;
  }
  const [, kind, topic] = match;

  if (kind === 'sub' && req.method === 'GET') {
    const headers = { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' };
    if (req.httpVersionMajor === 1) {
      headers.Connection = 'keep-alive'; // a connection header is not allowed in HTTP/2
    }
    const body = eventBody(req, res, headers);
    body.write('retry: 3000\n\n');
    const send = (id, data) => body.write(`id: ${id}\ndata: ${data}\n\n`);
    const heartbeat = setInterval(() => body.write(': hb\n\n'), 15000);
    bus.on(topic, send);
    req.on('close', () => {
      clearInterval(heartbeat);
      bus.off(topic, send);
      body.close();
    });
    return;
  }

  if (kind === 'pub' && req.method === 'POST') {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const id = ++nextId;
      bus.emit(topic, id, body.replace(/[\r\n]+/g, ' '));
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: String(id), topic }));
    });
    return;
  }

  res.writeHead(405).end();
}

http.createServer(handle).listen(port, host, () => console.log(`listening on http://${host}:${port}`));
if (h2cPort) {
  http2.createServer(handle).listen(h2cPort, host, () => console.log(`listening for h2c on ${host}:${h2cPort}`));
}
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
