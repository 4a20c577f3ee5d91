/**
 * The upstream of the sidecar-overhead scenario: a node:http server answering every request with
 * 1024 bytes (keep-alive). `node upstream-server.js --host H --port P`; prints `listening`.
 */
import http from 'node:http';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const body = Buffer.alloc(1024, 'x');
const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
});
server.listen(Number(arg('port', '18080')), arg('host', '127.0.0.1'), () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
