/** Polls `cond` until true or the timeout passes (generous: CI machines are shared and loaded). */
export async function waitUntil(cond: () => boolean, timeoutMs = 20_000, intervalMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
