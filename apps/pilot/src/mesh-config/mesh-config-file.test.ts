import { describe, expect, it } from 'vitest';
import { parseMeshConfig } from './mesh-config-file';

describe('--mesh-config (Istio MeshConfig subset)', () => {
  it("reads Istio's ext-authz task providers (HTTP and gRPC), ports as strings, namespace-scoped services", () => {
    const m = parseMeshConfig(`
extensionProviders:
- name: "sample-ext-authz-grpc"
  envoyExtAuthzGrpc:
    service: "ext-authz.foo.svc.cluster.local"
    port: "9000"
- name: "sample-ext-authz-http"
  envoyExtAuthzHttp:
    service: "foo/ext-authz.foo.svc.cluster.local"
    port: 8000
    timeout: 0.5s
    failOpen: true
    statusOnError: "503"
    includeRequestHeadersInCheck: ["x-ext-authz"]
outboundTrafficPolicy: {mode: REGISTRY_ONLY}
trustDomain: example.org
`);
    expect(m).toEqual({
      trustDomain: 'example.org',
      outboundTrafficPolicy: 'REGISTRY_ONLY',
      extensionProviders: [
        { name: 'sample-ext-authz-grpc', protocol: 'grpc', service: 'ext-authz.foo.svc.cluster.local', port: 9000 },
        { name: 'sample-ext-authz-http', protocol: 'http', service: 'ext-authz.foo.svc.cluster.local', port: 8000, timeoutSeconds: 0.5, failOpen: true, statusOnError: '503', includeRequestHeadersInCheck: ['x-ext-authz'] },
      ],
    });
    expect(parseMeshConfig('')).toEqual({});
  });

  it('refuses what it does not implement or cannot read, naming each path', () => {
    expect(() => parseMeshConfig('accessLogFile: /dev/stdout\n', 'mesh.yaml')).toThrow('mesh.yaml: (root): Unrecognized key: "accessLogFile" (accessLogFile)');
    expect(() =>
      parseMeshConfig(`
extensionProviders:
- name: a
  envoyExtAuthzHttp: {service: s, port: 70000, timeout: soon}
- name: a
  zipkin: {service: z, port: 9411}
`),
    ).toThrow(/extensionProviders\[0\]\.envoyExtAuthzHttp\.port: .*; extensionProviders\[0\]\.envoyExtAuthzHttp\.timeout: must be a duration.*extensionProviders\[1\]/);
    expect(() => parseMeshConfig('extensionProviders: [{name: a, envoyExtAuthzGrpc: {service: s, port: 1}}, {name: a, envoyExtAuthzGrpc: {service: t, port: 2}}]')).toThrow('extensionProviders: provider names must be unique');
    expect(() => parseMeshConfig('a: [')).toThrow(/not YAML/);
  });
});
