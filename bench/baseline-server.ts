import { createServer, type Server } from 'node:http';
import { WebSocketServer } from 'ws';

/**
 * The baseline for the alert-latency benchmark: the least a listen port could do. A bare
 * HTTP server that pushes the caller's number over a WebSocket to a bare page, which puts
 * it in an alert element. No parsing, no switchboard, no React, no history.
 */
const PAGE = `<!doctype html><html><head><title>baseline</title></head><body>
<div id="alert"></div>
<script type="module">
  const socket = new WebSocket('ws://' + location.host + '/events');
  socket.onmessage = (message) => {
    const { number } = JSON.parse(message.data);
    const alert = document.createElement('div');
    alert.setAttribute('role', 'alert');
    alert.textContent = 'Incoming call ' + number;
    document.getElementById('alert').replaceChildren(alert);
  };
  window.baselineReady = new Promise((ready) => { socket.onopen = ready; });
</script></body></html>`;

export async function startBaseline(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new WebSocketServer({ noServer: true });
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/telephony') {
      const message = JSON.stringify({ number: url.searchParams.get('n') ?? '' });
      for (const client of sockets.clients) client.send(message);
      response.end('OK\n');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(PAGE);
  });
  server.on('upgrade', (request, socket, head) => {
    sockets.handleUpgrade(request, socket, head, (client) => sockets.emit('connection', client));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () =>
      new Promise((closed) => {
        for (const client of sockets.clients) client.terminate();
        server.close(() => closed());
        server.closeAllConnections();
      }),
  };
}
