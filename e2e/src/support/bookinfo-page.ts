/** What one /productpage response showed, read from the markers the Bookinfo sample renders. */
export interface PageView {
  status: number;
  /** `v1` | `v2` | `v3` from `data-reviews-version`, or undefined if reviews failed. */
  reviews?: string;
  stars?: 'none' | 'black' | 'red';
}

export function readPage(status: number, html: string): PageView {
  const version = /data-reviews-version="(v\d)"/.exec(html)?.[1];
  const stars = /<font color="red"/.test(html) ? 'red' : /<font color="black"/.test(html) ? 'black' : 'none';
  return { status, reviews: version, stars };
}

export async function fetchPage(gateway: string, headers: Record<string, string> = {}): Promise<PageView> {
  const res = await fetch(`${gateway}/productpage`, { headers });
  return readPage(res.status, await res.text());
}

/** Versions seen over `n` requests. */
export async function versionsSeen(gateway: string, n: number, headers: Record<string, string> = {}): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const v = await fetchPage(gateway, headers);
    const key = v.status === 200 ? (v.reviews ?? 'none') : `status-${v.status}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return seen;
}
