import { describe, expect, it } from 'vitest';
import { Issues } from './issues';
import { headerMutations } from './primitives';
import { retryPolicy } from './retry-policy';

describe('translated values shared between resources', () => {
  it('equal retry policies translate to one object', () => {
    const issues = new Issues();
    const a = retryPolicy({ retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes', numRetries: { value: 2 } }, 'routes[0].retryPolicy', issues);
    const b = retryPolicy({ retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes', numRetries: { value: 2 } }, 'routes[1].retryPolicy', issues);
    const c = retryPolicy({ retryOn: 'connect-failure', numRetries: { value: 2 } }, 'routes[2].retryPolicy', issues);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect([...a.retryOn]).toEqual(['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes']);
    expect(issues.errors).toEqual([]);
  });

  it('a policy with an issue is translated again each time, so every use reports it at its own path', () => {
    const issues = new Issues();
    retryPolicy({ retryOn: 'sometimes' }, 'routes[0].retryPolicy', issues);
    retryPolicy({ retryOn: 'sometimes' }, 'routes[1].retryPolicy', issues);
    expect(issues.errors).toEqual([
      { path: 'routes[0].retryPolicy.retryOn', message: 'unsupported retry condition "sometimes"' },
      { path: 'routes[1].retryPolicy.retryOn', message: 'unsupported retry condition "sometimes"' },
    ]);
  });

  it('routes that change no header share one frozen mutation set', () => {
    const issues = new Issues();
    const none = headerMutations({}, 'a', issues);
    expect(headerMutations({ requestHeadersToAdd: [], responseHeadersToRemove: [] }, 'b', issues)).toBe(none);
    expect(Object.isFrozen(none) && Object.isFrozen(none.request.add)).toBe(true);
    const some = headerMutations({ responseHeadersToRemove: ['X-Secret'] }, 'c', issues);
    expect(some.response.remove).toEqual(['x-secret']);
    expect(some.request).toEqual({ add: [], remove: [] });
  });
});
