import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BootstrapTokens } from './bootstrap-tokens';
import { signJwtEs256 } from './jwt-es256';
import type { TokenKey } from './token-key';

function tokenKey(kid = 'k1'): TokenKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicKey, kid };
}

const T0 = 1_800_000_000_000;

describe('bootstrap tokens', () => {
  it('mint then verify yields the identity; the token expires at exp', async () => {
    let now = T0;
    const tokens = new BootstrapTokens(tokenKey(), 'cluster.local', { now: () => now });
    const m = tokens.mint('default', 'reviews', 3600_000);
    expect(m).toMatchObject({ spiffeId: 'spiffe://cluster.local/ns/default/sa/reviews', expiresAt: new Date(T0 + 3600_000) });
    expect(tokens.accepts(m.token)).toBe(true);
    expect(await tokens.authenticate(m.token)).toEqual({ ok: true, identity: { namespace: 'default', serviceAccount: 'reviews', via: 'bootstrap-token' } });
    now = T0 + 3600_000;
    expect(await tokens.authenticate(m.token)).toMatchObject({ ok: false, reason: expect.stringMatching(/expired/) });
  });

  it('refuses another Citadel’s token, alg none, a token for another trust domain, a sub that disagrees with ns/sa', async () => {
    const key = tokenKey();
    const clock = { now: () => T0 };
    const tokens = new BootstrapTokens(key, 'cluster.local', clock);
    const other = new BootstrapTokens(tokenKey('k2'), 'cluster.local', clock).mint('default', 'reviews', 60_000).token;
    expect(tokens.accepts(other)).toBe(false);
    expect(await tokens.authenticate(other)).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown key/) });

    const good = tokens.mint('default', 'reviews', 60_000).token.split('.');
    const none = [Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url'), good[1], ''].join('.');
    expect(await tokens.authenticate(none)).toMatchObject({ ok: false, reason: expect.stringMatching(/algorithm none/) });

    const s = T0 / 1000;
    const claims = { iss: 'mizzen-citadel', aud: 'mizzen-ca', ns: 'default', sa: 'reviews', iat: s, nbf: s, exp: s + 60, jti: 'x' };
    const otherTd = signJwtEs256({ ...claims, sub: 'spiffe://evil.org/ns/default/sa/reviews' }, key.privateKey, key.kid);
    expect(await tokens.authenticate(otherTd)).toMatchObject({ ok: false, reason: expect.stringMatching(/sub does not match/) });
    const mismatch = signJwtEs256({ ...claims, sa: 'admin', sub: 'spiffe://cluster.local/ns/default/sa/reviews' }, key.privateKey, key.kid);
    expect(await tokens.authenticate(mismatch)).toMatchObject({ ok: false, reason: expect.stringMatching(/sub does not match/) });
    const wrongAud = signJwtEs256({ ...claims, aud: 'other', sub: 'spiffe://cluster.local/ns/default/sa/reviews' }, key.privateKey, key.kid);
    expect(await tokens.authenticate(wrongAud)).toMatchObject({ ok: false, reason: expect.stringMatching(/wrong audience/) });
  });
});
