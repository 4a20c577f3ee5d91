import net from 'node:net';

/**
 * Asks the OS for a free TCP port on 127.0.0.1. The port is released before returning, so another
 * process could take it first: prefer letting servers pick their own port (`-p -1`) where possible.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not allocate a port'))));
    });
  });
}
