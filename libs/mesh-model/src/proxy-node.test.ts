import { describe, expect, it } from 'vitest';
import { parseProxyNode } from './proxy-node';

const node = (mode?: string) => ({ id: 'sidecar~127.0.0.5~a.default~default.svc.cluster.local', metadata: mode ? { INTERCEPTION_MODE: mode } : {} });

describe('INTERCEPTION_MODE node metadata', () => {
  it.each(['NONE', 'REDIRECT', 'TPROXY'])('accepts %s', (mode) => {
    const r = parseProxyNode(node(mode));
    expect(r.ok && r.value.interceptionMode).toBe(mode);
  });

  it('defaults to NONE and rejects unknown modes with the field path', () => {
    const r = parseProxyNode(node());
    expect(r.ok && r.value.interceptionMode).toBe('NONE');
    const bad = parseProxyNode(node('EBPF'));
    expect(bad.ok ? [] : bad.errors).toEqual([{ path: 'node.metadata.INTERCEPTION_MODE', message: 'unsupported mode "EBPF" (NONE, REDIRECT, TPROXY)' }]);
  });
});
