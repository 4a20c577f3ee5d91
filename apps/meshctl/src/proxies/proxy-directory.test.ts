import { describe, expect, it } from 'vitest';
import { type ConnectedProxy, findProxy } from './proxy-directory';

const proxy = (workload: string, namespace: string, ip: string): ConnectedProxy => ({ id: `sidecar~${ip}~${workload}.${namespace}~${namespace}.svc.cluster.local`, type: 'sidecar', namespace, workload, ip, types: {} });
const all = [proxy('reviews-v1', 'default', '127.1.0.3'), proxy('web', 'a', '127.1.0.4'), proxy('web', 'b', '127.1.0.5')];

describe('findProxy', () => {
  it('finds a proxy by workload, workload.namespace, node id or IP', () => {
    expect(findProxy(all, 'reviews-v1').ip).toBe('127.1.0.3');
    expect(findProxy(all, 'web.b').ip).toBe('127.1.0.5');
    expect(findProxy(all, '127.1.0.4').namespace).toBe('a');
    expect(findProxy(all, all[0].id).workload).toBe('reviews-v1');
  });

  it('names the connected proxies when none matches, and the candidates when several do', () => {
    expect(() => findProxy(all, 'ratings')).toThrow('no connected proxy "ratings" (connected: reviews-v1.default, web.a, web.b)');
    expect(() => findProxy(all, 'web')).toThrow('"web" is ambiguous: web.a, web.b; name it as workload.namespace');
  });
});
