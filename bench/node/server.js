// The SSE server most tutorials teach: Node's http module and one EventEmitter.
//   GET  /sub/:topic  an SSE stream of the topic's events
//   POST /pub/:topic  publishes the request body as one event (201)
// No history and no resume: a client that reconnects gets live events only.
// Usage: node server.js [port] [host]
'use strict';

const http = require('http');
const { EventEmitter } = require('events');

const port = Number(process.argv[2] || process.env.PORT || 3000);
const host = process.argv[3] || '127.0.0.1';
const bus = new EventEmitter();
bus.setMaxListeners(0); // thousands of subscribers per topic
let nextId = 0;

const server = http.createServer((req, res) => {
  const match = /^\/(sub|pub)\/([A-Za-z0-9._~-]+)$/.exec(req.url);
  if (!match) {
    res.writeHead(404).end();
    return;
  }
  const [, kind, topic] = match;

  if (kind === 'sub' && req.method === 'GET') {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    res.write('retry: 3000\n\n');
    const send = (id, data) => res.write(`id: ${id}\ndata: ${data}\n\n`);
    const heartbeat = setInterval(() => res.write(': hb\n\n'), 15000);
    bus.on(topic, send);
    req.on('close', () => {
      clearInterval(heartbeat);
      bus.off(topic, send);
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
});

server.listen(port, host, () => console.log(`listening on http://${host}:${port}`));
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
