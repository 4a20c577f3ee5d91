import { describe, expect, it } from 'vitest';
import type { CorsPolicy } from '../config/model';
import { corsFilter } from './cors';
import type { RequestView } from './request-view';

const policy = (o: Partial<CorsPolicy> = {}): CorsPolicy => ({
  allowOrigins: [{ kind: 'exact', value: 'https://app.example.com', ignoreCase: false }],
  allowMethods: 'GET,POST',
  allowHeaders: 'x-token',
  exposeHeaders: 'x-trace',
  maxAge: '600',
  enabled: 1,
  shadowEnabled: 0,
  ...o,
});
const req = (method: string, headers: Record<string, string>): RequestView => ({ method, authority: 'svc', path: '/', scheme: 'http', headers });
const preflight = (origin: string) => req('OPTIONS', { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-token' });
const rng = () => 0.5;

describe('CORS filter', () => {
  it('answers a preflight from an allowed origin', () => {
    expect(corsFilter([policy({ allowCredentials: true })], preflight('https://app.example.com'), rng)).toEqual({
      kind: 'preflight',
      originValid: true,
      headers: {
        'access-control-allow-origin': 'https://app.example.com',
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'GET,POST',
        'access-control-allow-headers': 'x-token',
        'access-control-max-age': '600',
      },
    });
  });

  it('forwards a preflight from another origin unless forward_not_matching_preflights is false', () => {
    expect(corsFilter([policy()], preflight('https://evil.example'), rng)).toEqual({ kind: 'none', originValid: false });
    const d = corsFilter([policy({ forwardNotMatchingPreflights: false })], preflight('https://evil.example'), rng);
    expect(d).toMatchObject({ kind: 'preflight', originValid: false });
    expect(d.kind === 'preflight' && 'access-control-allow-origin' in d.headers).toBe(false);
  });

  it('adds allow-origin and expose headers to an allowed simple request', () => {
    expect(corsFilter([policy()], req('GET', { origin: 'https://app.example.com' }), rng)).toEqual({
      kind: 'response',
      originValid: true,
      headers: { 'access-control-allow-origin': 'https://app.example.com', 'access-control-expose-headers': 'x-trace' },
    });
    expect(corsFilter([policy()], req('GET', {}), rng)).toEqual({ kind: 'none' });
  });

  it('takes each field from the most specific policy that sets it', () => {
    const route = policy({ allowOrigins: [], allowMethods: '', maxAge: '5' });
    const vhost = policy({ allowOrigins: [{ kind: 'prefix', value: '', ignoreCase: false }], allowMethods: '*' });
    const d = corsFilter([route, vhost], preflight('https://any.example'), rng);
    expect(d.kind === 'preflight' && d.headers).toMatchObject({ 'access-control-allow-origin': 'https://any.example', 'access-control-allow-methods': 'POST', 'access-control-max-age': '5' });
  });

  it('does nothing when disabled, or with no policy', () => {
    expect(corsFilter([policy({ enabled: 0 })], preflight('https://app.example.com'), rng).kind).toBe('none');
    expect(corsFilter([undefined, undefined], preflight('https://app.example.com'), rng)).toEqual({ kind: 'none' });
  });
});
