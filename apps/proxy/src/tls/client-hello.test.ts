import net from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { parseClientHello } from './client-hello';

/** The first flight of a real node:tls client (a complete ClientHello record). */
async function captureClientHello(opts: tls.ConnectionOptions): Promise<Buffer> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const got = new Promise<Buffer>((resolve) => server.once('connection', (s) => s.once('data', (d: Buffer) => (resolve(d), s.destroy()))));
  const client = tls.connect({ host: '127.0.0.1', port, ...opts });
  client.on('error', () => undefined);
  const hello = await got;
  client.destroy();
  server.close();
  return hello;
}

/** Re-frames a single-record handshake message into records of at most `size` bytes. */
function fragment(record: Buffer, size: number): Buffer {
  const body = record.subarray(5);
  const out: Buffer[] = [];
  for (let i = 0; i < body.length; i += size) {
    const part = body.subarray(i, i + size);
    const header = Buffer.from([0x16, 0x03, 0x01, 0, 0]);
    header.writeUInt16BE(part.length, 3);
    out.push(header, part);
  }
  return Buffer.concat(out);
}

describe('ClientHello parsing (tls_inspector)', () => {
  it('reads SNI and ALPN from a real ClientHello', async () => {
    const hello = await captureClientHello({ servername: 'API.Example.com', ALPNProtocols: ['h2', 'http/1.1'] });
    expect(parseClientHello(hello)).toEqual({ kind: 'tls', serverName: 'api.example.com', alpn: ['h2', 'http/1.1'] });
  });

  it('has no SNI when the client sends none', async () => {
    const hello = await captureClientHello({ servername: '' });
    expect(parseClientHello(hello)).toEqual({ kind: 'tls', alpn: [] });
  });

  it('asks for more bytes until the whole hello is there, across records', async () => {
    const hello = await captureClientHello({ servername: 'db.internal' });
    expect(parseClientHello(hello.subarray(0, 3))).toEqual({ kind: 'need-more' });
    expect(parseClientHello(hello.subarray(0, hello.length - 1))).toEqual({ kind: 'need-more' });
    const split = fragment(hello, 40);
    expect(parseClientHello(split.subarray(0, 60))).toEqual({ kind: 'need-more' });
    expect(parseClientHello(split)).toMatchObject({ kind: 'tls', serverName: 'db.internal' });
  });

  it('recognises plaintext at the first byte', () => {
    expect(parseClientHello(Buffer.from('GET / HTTP/1.1\r\n'))).toEqual({ kind: 'not-tls' });
    expect(parseClientHello(Buffer.from('PRI * HTTP/2.0'))).toEqual({ kind: 'not-tls' });
    expect(parseClientHello(Buffer.from([0x16, 0x09, 0x01, 0x00, 0x05]))).toEqual({ kind: 'not-tls' });
  });

  it('treats a handshake that does not parse as TLS without SNI', () => {
    const bogus = Buffer.from([0x16, 0x03, 0x01, 0x00, 0x06, 0x01, 0x00, 0x00, 0x02, 0x03, 0x03]);
    expect(parseClientHello(bogus)).toEqual({ kind: 'tls', alpn: [], malformed: true });
  });
});
