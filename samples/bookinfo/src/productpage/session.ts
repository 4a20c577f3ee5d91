// Who is browsing: the `user` cookie set by /login (Istio's sample), or an `end-user` header sent
// by the caller. productpage forwards it to reviews as `end-user`, which Istio's routing rules
// (virtual-service-reviews-test-v2.yaml) match on.
import type { IncomingMessage } from 'node:http';

export const USER_COOKIE = 'user';

export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function currentUser(req: IncomingMessage): string | undefined {
  const fromCookie = cookieValue(req, USER_COOKIE);
  if (fromCookie) return fromCookie;
  const header = req.headers['end-user'];
  return typeof header === 'string' && header.trim() ? header.trim() : undefined;
}

/** A user name fit for a cookie and a header: 1-64 visible characters. */
export function validUserName(raw: string | null | undefined): string | undefined {
  const name = raw?.trim();
  return name && name.length <= 64 && /^[\x21-\x7e]+$/.test(name) ? name : undefined;
}

export function loginCookie(user: string): string {
  return `${USER_COOKIE}=${encodeURIComponent(user)}; Path=/; HttpOnly; SameSite=Lax`;
}

export function logoutCookie(): string {
  return `${USER_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`;
}

/** Back to the referring page (path only, so never off-site), else the product page. */
export function returnPath(req: IncomingMessage): string {
  const referer = req.headers.referer;
  if (!referer) return '/productpage';
  try {
    const url = new URL(referer, 'http://localhost');
    if (url.pathname === '/login' || url.pathname === '/logout') return '/productpage';
    return `${url.pathname}${url.search}`;
  } catch {
    return '/productpage';
  }
}
