// The HTTP side of the httpbin sample: a few of httpbin.org's endpoints plus what the traffic
// management tests need to make one pod misbehave. Every response names the pod and version that
// served it (`x-httpbin-pod`, `x-httpbin-version`), so a client can tell endpoints apart.
//
//   GET  /get, /headers            request headers (and host, path) as JSON
//   ANY  /status/<code>            answers <code> (100-599)
//   GET  /delay/<seconds>          answers after <seconds> (0-10, fractions allowed)
//   GET  /flaky/<n>/<key>          503 for the first <n> requests with that key, then 200
//   GET  /ws                       WebSocket echo (HTTP/1.1 Upgrade)
//   PUT  /admin/fault?status=<c>   every non-admin request answers <c> until DELETE /admin/fault
//   GET  /admin/requests           the requests this process received (DELETE clears all state)
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { Control, type LoggedRequest } from './control';
import { acceptEcho } from './websocket';

export interface Identity {
  /** POD_NAME of the process. */
  readonly pod: string;
  /** SERVICE_VERSION of the process. */
  readonly version: string;
}

export const POD_HEADER = 'x-httpbin-pod';
export const VERSION_HEADER = 'x-httpbin-version';
const MAX_DELAY_S = 10;

export interface HttpbinApp {
  readonly control: Control;
  readonly onRequest: http.RequestListener;
  /** For the server's `upgrade` event. */
  readonly onUpgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
}

export function createHttpbinApp(id: Identity, control = new Control()): HttpbinApp {
  const identity = { [POD_HEADER]: id.pod, [VERSION_HEADER]: id.version };
  const onRequest: http.RequestListener = (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...identity });
      res.end(text);
    };
    // Drain the request body before answering so keep-alive connections stay usable.
    req.resume();
    req.once('end', () => {
      if (path.startsWith('/admin/')) return admin(control, req, path, send);
      control.record(logged(req, path));
      if (control.faultStatus !== undefined) return send(control.faultStatus, { fault: control.faultStatus, pod: id.pod });
      route(control, id, req, path, send);
    });
  };
  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (req.url ?? '/').split('?')[0];
    control.record(logged(req, path));
    if (path !== '/ws' || control.faultStatus !== undefined) {
      const status = control.faultStatus ?? 404;
      socket.end(`HTTP/1.1 ${status} Not Upgraded\r\nConnection: close\r\nContent-Length: 0\r\n${POD_HEADER}: ${id.pod}\r\n\r\n`);
      return;
    }
    acceptEcho(req, socket, head, identity);
  };
  return { control, onRequest, onUpgrade };
}

type Send = (status: number, body: unknown) => void;

function route(control: Control, id: Identity, req: http.IncomingMessage, path: string, send: Send): void {
  const headers = flatHeaders(req);
  if (path === '/get' || path === '/headers') return send(200, { headers, host: req.headers.host ?? '', path: req.url, pod: id.pod, version: id.version });
  let m = /^\/status\/(\d{3})$/.exec(path);
  if (m) {
    const code = Number(m[1]);
    return code >= 100 && code <= 599 ? send(code, { status: code, pod: id.pod }) : send(400, { error: `bad status ${m[1]}` });
  }
  m = /^\/delay\/(\d+(?:\.\d+)?)$/.exec(path);
  if (m) {
    const seconds = Math.min(Number(m[1]), MAX_DELAY_S);
    setTimeout(() => send(200, { delay: seconds, pod: id.pod }), seconds * 1000);
    return;
  }
  m = /^\/flaky\/(\d+)\/([\w.-]+)$/.exec(path);
  if (m) {
    const attempt = control.flakyAttempt(m[2]);
    return send(attempt <= Number(m[1]) ? 503 : 200, { key: m[2], attempt, pod: id.pod });
  }
  send(404, { error: `no route for ${path}` });
}

function admin(control: Control, req: http.IncomingMessage, path: string, send: Send): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (path === '/admin/fault' && req.method === 'PUT') {
    const status = Number(url.searchParams.get('status'));
    if (!Number.isInteger(status) || status < 200 || status > 599) return send(400, { error: 'status must be 200-599' });
    control.setFault(status);
    return send(200, { fault: status });
  }
  if (path === '/admin/fault' && req.method === 'DELETE') {
    control.setFault(undefined);
    return send(200, { fault: null });
  }
  if (path === '/admin/requests' && req.method === 'GET') return send(200, { requests: control.requests() });
  if (path === '/admin/requests' && req.method === 'DELETE') {
    control.reset();
    return send(200, { requests: [] });
  }
  send(404, { error: `no admin route for ${req.method} ${path}` });
}

function logged(req: http.IncomingMessage, path: string): LoggedRequest {
  return { method: req.method ?? 'GET', path, host: req.headers.host ?? '', headers: flatHeaders(req) };
}

function flatHeaders(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
