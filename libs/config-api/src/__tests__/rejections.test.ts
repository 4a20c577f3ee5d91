import { describe, expect, it } from 'vitest';
import { validateResource } from '../index';

/**
 * Rejections: each invalid resource must fail with an error at the exact field path and a message
 * that says what is wrong (wording follows Istio's webhook where it has one).
 */
const resource = (kind: string, spec: unknown, metadata: Record<string, unknown> = { name: 'r1' }): Record<string, unknown> => ({
  apiVersion: 'networking.istio.io/v1',
  kind,
  metadata,
  spec,
});
const route = (host = 'reviews', extra: Record<string, unknown> = {}): Record<string, unknown> => ({ destination: { host }, ...extra });
const vs = (http: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => resource('VirtualService', { hosts: ['reviews'], http, ...extra });
const dr = (spec: Record<string, unknown>): Record<string, unknown> => resource('DestinationRule', { host: 'reviews', ...spec });
const gw = (servers: unknown[]): Record<string, unknown> => resource('Gateway', { selector: { istio: 'ingressgateway' }, servers });
const server = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'], ...extra });
const https = (tls: Record<string, unknown>): Record<string, unknown> => server({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, tls });
const MUTUAL_FILES = { mode: 'MUTUAL', serverCertificate: '/c.pem', privateKey: '/k.pem', caCertificates: '/ca.pem' };
const INGRESS_HTTPS = { port: { number: 9443, protocol: 'HTTPS', name: 'https' }, defaultEndpoint: '127.0.0.1:9080' };
const se = (spec: Record<string, unknown>): Record<string, unknown> =>
  resource('ServiceEntry', { hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'TLS' }], resolution: 'DNS', ...spec });
const sc = (spec: Record<string, unknown>): Record<string, unknown> => resource('Sidecar', spec);

interface Case {
  name: string;
  input: unknown;
  path: string;
  message: RegExp;
}

const CASES: Case[] = [
  // Envelope and metadata
  { name: 'unsupported kind', input: { ...vs([{ route: [route()] }]), kind: 'VirtualServer' }, path: 'kind', message: /unsupported kind "VirtualServer"/ },
  { name: 'unsupported apiVersion', input: { ...vs([{ route: [route()] }]), apiVersion: 'networking.istio.io/v2' }, path: 'apiVersion', message: /unsupported apiVersion/ },
  { name: 'metadata.name missing', input: resource('VirtualService', { hosts: ['a'], http: [{ route: [route()] }] }, {}), path: 'metadata.name', message: /^required$/ },
  { name: 'metadata.name not DNS-1123', input: resource('VirtualService', { hosts: ['a'], http: [{ route: [route()] }] }, { name: 'Reviews_1' }), path: 'metadata.name', message: /DNS-1123 subdomain/ },
  { name: 'Gateway name must be a DNS label', input: { ...gw([server()]), metadata: { name: 'my.gateway' } }, path: 'metadata.name', message: /DNS-1123 label/ },
  { name: 'unknown top-level field', input: { ...vs([{ route: [route()] }]), specs: {} }, path: 'specs', message: /unknown field/ },
  // VirtualService structure
  { name: 'destination host missing', input: vs([{ route: [{ destination: { subset: 'v1' } }] }]), path: 'spec.http[0].route[0].destination.host', message: /^required$/ },
  { name: 'unknown field with suggestion', input: vs([{ rout: [route()] }]), path: 'spec.http[0].rout', message: /unknown field \(did you mean "route"\?\)/ },
  { name: 'snake_case field name', input: resource('VirtualService', { hosts: ['a.com'], gateways: ['gw'], tls: [{ match: [{ sni_hosts: ['a.com'] }], route: [route()] }] }), path: 'spec.tls[0].match[0].sni_hosts', message: /did you mean "sniHosts"/ },
  { name: 'hosts must be a list', input: resource('VirtualService', { hosts: 'reviews', http: [{ route: [route()] }] }), path: 'spec.hosts', message: /expected array, got string "reviews"/ },
  { name: 'non-integer weight', input: vs([{ route: [route('a', { weight: 50.5 }), route('b', { weight: 49.5 })] }]), path: 'spec.http[0].route[0].weight', message: /expected integer/ },
  { name: 'StringMatch with two kinds', input: vs([{ match: [{ uri: { exact: '/a', prefix: '/b' } }], route: [route()] }]), path: 'spec.http[0].match[0].uri', message: /only one of exact, prefix or regex/ },
  { name: 'malformed duration', input: vs([{ route: [route()], timeout: '5 seconds' }]), path: 'spec.http[0].timeout', message: /invalid duration/ },
  // VirtualService semantics
  { name: 'no routes at all', input: resource('VirtualService', { hosts: ['reviews'] }), path: 'spec', message: /http, tcp or tls must be provided/ },
  { name: 'HTTP route without an action', input: vs([{ match: [{ uri: { prefix: '/' } }] }]), path: 'spec.http[0]', message: /must specify one of route, redirect, directResponse or delegate/ },
  { name: 'route and redirect together', input: vs([{ route: [route()], redirect: { uri: '/x' } }]), path: 'spec.http[0].route', message: /both route and redirect/ },
  { name: 'fault with directResponse', input: vs([{ directResponse: { status: 503 }, fault: { abort: { httpStatus: 500 } } }]), path: 'spec.http[0].fault', message: /both fault and directResponse/ },
  { name: 'regex lookahead (not RE2)', input: vs([{ match: [{ uri: { regex: '^/(?=api)' } }], route: [route()] }]), path: 'spec.http[0].match[0].uri.regex', message: /lookaround assertions .* not supported by RE2/ },
  { name: 'regex that does not compile', input: vs([{ match: [{ headers: { 'x-user': { regex: '[a-' } } }], route: [route()] }]), path: 'spec.http[0].match[0].headers["x-user"].regex', message: /invalid regex "\[a-"/ },
  { name: 'regex backreference', input: vs([{ match: [{ uri: { regex: '(a)\\1' } }], route: [route()] }]), path: 'spec.http[0].match[0].uri.regex', message: /backreferences/ },
  { name: 'empty prefix on a method match', input: vs([{ match: [{ method: { prefix: '' } }], route: [route()] }]), path: 'spec.http[0].match[0].method.prefix', message: /prefix string match should not be empty/ },
  { name: 'invalid match header name', input: vs([{ match: [{ headers: { 'bad header': { exact: 'x' } } }], route: [route()] }]), path: 'spec.http[0].match[0].headers["bad header"]', message: /not a valid header name/ },
  { name: 'negative weight', input: vs([{ route: [route('a', { weight: -10 }), route('b', { weight: 110 })] }]), path: 'spec.http[0].route[0].weight', message: /weight -10 < 0/ },
  { name: 'all weights zero', input: vs([{ route: [route('a', { weight: 0 }), route('b', { weight: 0 })] }]), path: 'spec.http[0].route', message: /total destination weight = 0/ },
  { name: 'destination port out of range', input: vs([{ route: [{ destination: { host: 'reviews', port: { number: 70000 } } }] }]), path: 'spec.http[0].route[0].destination.port.number', message: /1\.\.65535/ },
  { name: 'destination host *', input: vs([{ route: [route('*')] }]), path: 'spec.http[0].route[0].destination.host', message: /invalid destination host \*/ },
  { name: 'negative retry attempts', input: vs([{ route: [route()], retries: { attempts: -1 } }]), path: 'spec.http[0].retries.attempts', message: /attempts cannot be negative/ },
  { name: 'unknown retryOn policy', input: vs([{ route: [route()], retries: { attempts: 2, retryOn: '5xx,sometimes' } }]), path: 'spec.http[0].retries.retryOn', message: /"sometimes" is not a valid retryOn policy/ },
  { name: 'fault percentage over 100', input: vs([{ route: [route()], fault: { abort: { httpStatus: 500, percentage: { value: 150 } } } }]), path: 'spec.http[0].fault.abort.percentage.value', message: /percentage 150/ },
  { name: 'fault without abort or delay', input: vs([{ route: [route()], fault: {} }]), path: 'spec.http[0].fault', message: /must have an abort and\/or a delay/ },
  { name: 'delay shorter than 1ms', input: vs([{ route: [route()], fault: { delay: { fixedDelay: '10us', percentage: { value: 1 } } } }]), path: 'spec.http[0].fault.delay.fixedDelay', message: /greater than 1ms/ },
  { name: 'redirect code not 3xx', input: vs([{ redirect: { uri: '/x', redirectCode: 200 } }]), path: 'spec.http[0].redirect.redirectCode', message: /must be 3xx/ },
  { name: 'CORS method unknown', input: vs([{ route: [route()], corsPolicy: { allowMethods: ['FETCH'] } }]), path: 'spec.http[0].corsPolicy.allowMethods[0]', message: /"FETCH" is not a supported HTTP method/ },
  { name: 'setting a pseudo-header', input: vs([{ route: [route()], headers: { response: { set: { ':status': '200' } } } }]), path: 'spec.http[0].headers.response.set[":status"]', message: /cannot have ":" prefix/ },
  { name: 'invalid gateway reference', input: vs([{ route: [route()] }], { gateways: ['istio-system/Bad_Name'] }), path: 'spec.gateways[0]', message: /invalid value for gateway name: "Bad_Name"/ },
  { name: 'wildcard not leftmost', input: resource('VirtualService', { hosts: ['foo.*.com'], http: [{ route: [route()] }] }), path: 'spec.hosts[0]', message: /domain name "foo\.\*\.com" invalid/ },
  { name: 'host * bound to the mesh', input: resource('VirtualService', { hosts: ['*'], http: [{ route: [route()] }] }), path: 'spec.hosts[0]', message: /wildcard host \* is not allowed/ },
  { name: 'overlapping hosts', input: resource('VirtualService', { hosts: ['*.example.com', 'api.example.com'], http: [{ route: [route()] }] }), path: 'spec.hosts[1]', message: /duplicate hosts in virtual service/ },
  { name: 'SNI host outside the hosts', input: resource('VirtualService', { hosts: ['*.bookinfo.com'], gateways: ['gw'], tls: [{ match: [{ sniHosts: ['login.other.com'] }], route: [route()] }] }), path: 'spec.tls[0].match[0].sniHosts[0]', message: /not a compatible subset/ },
  { name: 'delegate with a route', input: vs([{ delegate: { name: 'reviews-routes' }, route: [route()] }]), path: 'spec.http[0].route', message: /delegate must not specify route/ },
  { name: 'delegate without a name', input: vs([{ delegate: { namespace: 'team-a' } }]), path: 'spec.http[0].delegate.name', message: /delegate name is required/ },
  { name: 'delegate target with tcp routes', input: resource('VirtualService', { tcp: [{ route: [route()] }] }), path: 'spec.tcp', message: /delegate virtual service \(no hosts\) must have no tcp route/ },
  { name: 'duplicate exportTo', input: vs([{ route: [route()] }], { exportTo: ['.', 'default'] }), path: 'spec.exportTo[1]', message: /duplicate entries in exportTo/ },
  // DestinationRule
  { name: 'duplicate subset name', input: dr({ subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v1', labels: { version: 'v2' } }] }), path: 'spec.subsets[1].name', message: /duplicate subset names: v1/ },
  { name: 'subset name not a DNS label', input: dr({ subsets: [{ name: 'v_1', labels: { version: 'v1' } }] }), path: 'spec.subsets[0].name', message: /subset name is invalid/ },
  { name: 'DR host missing', input: resource('DestinationRule', { subsets: [] }), path: 'spec.host', message: /^required$/ },
  { name: 'LB simple and consistentHash', input: dr({ trafficPolicy: { loadBalancer: { simple: 'RANDOM', consistentHash: { useSourceIp: true } } } }), path: 'spec.trafficPolicy.loadBalancer', message: /only one of simple or consistentHash/ },
  { name: 'LB enum misspelt', input: dr({ trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBINN' } } }), path: 'spec.trafficPolicy.loadBalancer.simple', message: /must be one of: UNSPECIFIED, LEAST_CONN, RANDOM, PASSTHROUGH, ROUND_ROBIN, LEAST_REQUEST/ },
  { name: 'two hash keys', input: dr({ trafficPolicy: { loadBalancer: { consistentHash: { useSourceIp: true, httpHeaderName: 'x-user' } } } }), path: 'spec.trafficPolicy.loadBalancer.consistentHash', message: /only one hash key/ },
  { name: 'ringHash with maglev', input: dr({ trafficPolicy: { loadBalancer: { consistentHash: { useSourceIp: true, ringHash: { minimumRingSize: 1024 }, maglev: { tableSize: 65537 } } } } }), path: 'spec.trafficPolicy.loadBalancer.consistentHash', message: /only one of ringHash or maglev/ },
  { name: 'maglev table size not prime', input: dr({ trafficPolicy: { loadBalancer: { consistentHash: { useSourceIp: true, maglev: { tableSize: 1000 } } } } }), path: 'spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize', message: /prime/ },
  { name: 'negative connection limit', input: dr({ trafficPolicy: { connectionPool: { tcp: { maxConnections: -1 } } } }), path: 'spec.trafficPolicy.connectionPool.tcp.maxConnections', message: /non-negative/ },
  { name: 'outlier percentage over 100', input: dr({ trafficPolicy: { outlierDetection: { maxEjectionPercent: 150 } } }), path: 'spec.trafficPolicy.outlierDetection.maxEjectionPercent', message: /not in range 0\.\.100/ },
  { name: 'empty traffic policy', input: dr({ trafficPolicy: {} }), path: 'spec.trafficPolicy', message: /at least one field/ },
  { name: 'PROXY protocol version V3', input: dr({ trafficPolicy: { proxyProtocol: { version: 'V3' } } }), path: 'spec.trafficPolicy.proxyProtocol.version', message: /must be one of: V1, V2/ },
  { name: 'subset PROXY protocol version V3', input: dr({ subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { proxyProtocol: { version: 'V3' } } }] }), path: 'spec.subsets[0].trafficPolicy.proxyProtocol.version', message: /must be one of: V1, V2/ },
  { name: 'tunnel without targetHost', input: dr({ trafficPolicy: { tunnel: { targetPort: 5432 } } }), path: 'spec.trafficPolicy.tunnel.targetHost', message: /^required$/ },
  { name: 'tunnel with an empty targetHost', input: dr({ trafficPolicy: { tunnel: { targetHost: '', targetPort: 5432 } } }), path: 'spec.trafficPolicy.tunnel.targetHost', message: /valid FQDN or IP address/ },
  { name: 'tunnel protocol GET', input: dr({ trafficPolicy: { tunnel: { protocol: 'GET', targetHost: 'db.internal', targetPort: 5432 } } }), path: 'spec.trafficPolicy.tunnel.protocol', message: /"CONNECT" or "POST"/ },
  { name: 'tunnel target port out of range', input: dr({ trafficPolicy: { tunnel: { targetHost: 'db.internal', targetPort: 70000 } } }), path: 'spec.trafficPolicy.tunnel.targetPort', message: /1\.\.65535/ },
  { name: 'tunnel and proxyProtocol together', input: dr({ trafficPolicy: { proxyProtocol: {}, tunnel: { targetHost: 'db.internal', targetPort: 5432 } } }), path: 'spec.trafficPolicy', message: /tunnel and proxyProtocol must not be set together/ },
  { name: 'negative maxConnectionDuration', input: dr({ trafficPolicy: { connectionPool: { tcp: { maxConnectionDuration: '-1s' } } } }), path: 'spec.trafficPolicy.connectionPool.tcp.maxConnectionDuration', message: /invalid duration/ },
  { name: 'zero port-level maxConnectionDuration', input: dr({ trafficPolicy: { portLevelSettings: [{ port: { number: 9080 }, connectionPool: { tcp: { maxConnectionDuration: '0s' } } }] } }), path: 'spec.trafficPolicy.portLevelSettings[0].connectionPool.tcp.maxConnectionDuration', message: /greater than 1ms/ },
  { name: 'useClientProtocol with h2UpgradePolicy UPGRADE', input: dr({ trafficPolicy: { connectionPool: { http: { useClientProtocol: true, h2UpgradePolicy: 'UPGRADE' } } } }), path: 'spec.trafficPolicy.connectionPool.http.useClientProtocol', message: /must not be true when h2UpgradePolicy is UPGRADE/ },
  { name: 'MUTUAL client TLS without certificate', input: dr({ trafficPolicy: { tls: { mode: 'MUTUAL', privateKey: '/k.pem' } } }), path: 'spec.trafficPolicy.tls.clientCertificate', message: /client certificate required/ },
  // Gateway
  { name: 'Gateway server hosts missing', input: gw([{ port: { number: 80, name: 'http', protocol: 'HTTP' } }]), path: 'spec.servers[0].hosts', message: /^required$/ },
  { name: 'Gateway without servers', input: gw([]), path: 'spec.servers', message: /at least one server/ },
  { name: 'Gateway port protocol unknown', input: gw([server({ port: { number: 80, name: 'http', protocol: 'HTTPX' } })]), path: 'spec.servers[0].port.protocol', message: /invalid protocol "HTTPX"/ },
  { name: 'Gateway port name missing', input: gw([{ port: { number: 80, protocol: 'HTTP' }, hosts: ['*'] }]), path: 'spec.servers[0].port.name', message: /^required$/ },
  { name: 'HTTPS server without TLS', input: gw([server({ port: { number: 443, name: 'https', protocol: 'HTTPS' } })]), path: 'spec.servers[0].tls', message: /must have TLS settings for HTTPS\/TLS protocols/ },
  { name: 'SIMPLE TLS without certificate', input: gw([server({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', privateKey: '/k.pem' } })]), path: 'spec.servers[0].tls.serverCertificate', message: /requires a server certificate/ },
  { name: 'MUTUAL server without a client CA', input: gw([https({ mode: 'MUTUAL', serverCertificate: '/c.pem', privateKey: '/k.pem' })]), path: 'spec.servers[0].tls.caCertificates', message: /MUTUAL TLS requires a client CA bundle/ },
  { name: 'OPTIONAL_MUTUAL server without a client CA', input: gw([https({ mode: 'OPTIONAL_MUTUAL', tlsCertificates: [{ serverCertificate: '/c.pem', privateKey: '/k.pem' }] })]), path: 'spec.servers[0].tls.caCertificates', message: /MUTUAL TLS requires a client CA bundle/ },
  { name: 'credentialName and certificate files', input: gw([https({ mode: 'SIMPLE', credentialName: 'c', serverCertificate: '/c.pem', privateKey: '/k.pem' })]), path: 'spec.servers[0].tls', message: /only one of credentialName, credentialNames, serverCertificate\/privateKey, tlsCertificates/ },
  { name: 'credentialNames and tlsCertificates', input: gw([https({ mode: 'SIMPLE', credentialNames: ['rsa'], tlsCertificates: [{ serverCertificate: '/c.pem', privateKey: '/k.pem' }] })]), path: 'spec.servers[0].tls', message: /only one of/ },
  { name: 'three credentialNames', input: gw([https({ mode: 'SIMPLE', credentialNames: ['a', 'b', 'c'] })]), path: 'spec.servers[0].tls.credentialNames', message: /2/ },
  { name: 'three tlsCertificates', input: gw([https({ mode: 'SIMPLE', tlsCertificates: [1, 2, 3].map((i) => ({ serverCertificate: `/c${i}`, privateKey: `/k${i}` })) })]), path: 'spec.servers[0].tls.tlsCertificates', message: /2/ },
  { name: 'tlsCertificates entry without a key', input: gw([https({ mode: 'SIMPLE', tlsCertificates: [{ serverCertificate: '/c.pem', privateKey: '/k.pem' }, { serverCertificate: '/e.pem' }] })]), path: 'spec.servers[0].tls.tlsCertificates[1].privateKey', message: /SIMPLE TLS requires a private key/ },
  { name: 'ISTIO_MUTUAL with tlsCertificates', input: gw([https({ mode: 'ISTIO_MUTUAL', tlsCertificates: [{ serverCertificate: '/c.pem', privateKey: '/k.pem' }] })]), path: 'spec.servers[0].tls.tlsCertificates', message: /ISTIO_MUTUAL TLS cannot have associated tlsCertificates/ },
  { name: 'caCrl with SIMPLE', input: gw([https({ mode: 'SIMPLE', serverCertificate: '/c.pem', privateKey: '/k.pem', caCrl: '/crl.pem' })]), path: 'spec.servers[0].tls.caCrl', message: /CRL is not supported with SIMPLE TLS/ },
  { name: 'SPKI pin not a SHA-256 digest', input: gw([https({ ...MUTUAL_FILES, verifyCertificateSpki: ['abc'] })]), path: 'spec.servers[0].tls.verifyCertificateSpki[0]', message: /base64-encoded SHA-256/ },
  { name: 'certificate hash not a SHA-256 digest', input: gw([https({ ...MUTUAL_FILES, verifyCertificateHash: ['zz'] })]), path: 'spec.servers[0].tls.verifyCertificateHash[0]', message: /hex-encoded SHA-256/ },
  { name: 'Gateway host short name', input: gw([server({ hosts: ['bookinfo/reviews'] })]), path: 'spec.servers[0].hosts[0]', message: /short names \(non FQDN\) are not allowed/ },
  { name: 'duplicate server port names', input: gw([server(), server({ port: { number: 8080, name: 'http', protocol: 'HTTP' } })]), path: 'spec.servers[1].port.name', message: /port names in servers must be unique/ },
  // ServiceEntry
  { name: 'SE without hosts', input: se({ hosts: [] }), path: 'spec.hosts', message: /at least one host/ },
  { name: 'SE host *', input: se({ hosts: ['*'] }), path: 'spec.hosts[0]', message: /invalid host \*/ },
  { name: 'SE location enum', input: se({ location: 'EXTERNAL' }), path: 'spec.location', message: /must be one of: MESH_EXTERNAL, MESH_INTERNAL/ },
  { name: 'SE duplicate port number', input: se({ ports: [{ number: 443, name: 'https', protocol: 'TLS' }, { number: 443, name: 'tls', protocol: 'TLS' }] }), path: 'spec.ports[1].number', message: /service entry port 443 already defined/ },
  { name: 'SE duplicate port name', input: se({ ports: [{ number: 443, name: 'https', protocol: 'TLS' }, { number: 8443, name: 'https', protocol: 'TLS' }] }), path: 'spec.ports[1].name', message: /port name "https" already defined/ },
  { name: 'SE STATIC endpoint hostname', input: se({ resolution: 'STATIC', endpoints: [{ address: 'db.example.com' }] }), path: 'spec.endpoints[0].address', message: /not a valid IP address/ },
  { name: 'SE endpoints and workloadSelector', input: se({ resolution: 'STATIC', endpoints: [{ address: '10.0.0.1' }], workloadSelector: { labels: { app: 'db' } } }), path: 'spec', message: /only one of workloadSelector or endpoints/ },
  { name: 'SE NONE with endpoints', input: se({ resolution: 'NONE', endpoints: [{ address: '10.0.0.1' }] }), path: 'spec.endpoints', message: /no endpoints should be provided for resolution type NONE/ },
  { name: 'SE endpoint port not a service port', input: se({ resolution: 'STATIC', endpoints: [{ address: '10.0.0.1', ports: { http: 8080 } }] }), path: 'spec.endpoints[0].ports.http', message: /not defined by the service entry/ },
  // WorkloadEntry
  { name: 'WE address missing', input: resource('WorkloadEntry', { labels: { app: 'vm' } }), path: 'spec.address', message: /address is required/ },
  { name: 'WE port out of range', input: resource('WorkloadEntry', { address: '10.0.0.1', ports: { http: 0 } }), path: 'spec.ports.http', message: /1\.\.65535/ },
  { name: 'WE unix address with ports', input: resource('WorkloadEntry', { address: 'unix:///var/run/app.sock', ports: { http: 8080 } }), path: 'spec.ports', message: /must not include ports/ },
  // Sidecar
  { name: 'Sidecar egress host without namespace', input: sc({ egress: [{ hosts: ['reviews.default.svc.cluster.local'] }] }), path: 'spec.egress[0].hosts[0]', message: /host must be of form namespace\/dnsName/ },
  { name: 'Sidecar ingress port missing', input: sc({ ingress: [{ defaultEndpoint: '127.0.0.1:8080' }] }), path: 'spec.ingress[0].port', message: /^required$/ },
  { name: 'Sidecar empty spec', input: sc({}), path: 'spec', message: /empty configuration/ },
  { name: 'Sidecar catch-all egress not last', input: sc({ egress: [{ hosts: ['*/*'] }, { port: { number: 80, protocol: 'HTTP', name: 'http' }, hosts: ['./*'] }] }), path: 'spec.egress[0].port', message: /should be the last listener/ },
  { name: 'Sidecar ingress tls with credentialName', input: sc({ ingress: [{ ...INGRESS_HTTPS, tls: { mode: 'SIMPLE', credentialName: 'c' } }] }), path: 'spec.ingress[0].tls.credentialName', message: /credentialName is not currently supported/ },
  { name: 'Sidecar ingress tls on an HTTP port', input: sc({ ingress: [{ ...INGRESS_HTTPS, port: { number: 9443, protocol: 'HTTP', name: 'http' }, tls: { mode: 'SIMPLE', serverCertificate: '/c.pem', privateKey: '/k.pem' } }] }), path: 'spec.ingress[0].tls', message: /cannot have TLS settings for non HTTPS\/TLS ports/ },
  { name: 'Sidecar ingress MUTUAL without a client CA', input: sc({ ingress: [{ ...INGRESS_HTTPS, tls: { mode: 'MUTUAL', serverCertificate: '/c.pem', privateKey: '/k.pem' } }] }), path: 'spec.ingress[0].tls.caCertificates', message: /requires a client CA bundle/ },
  { name: 'Sidecar ingress tls ISTIO_MUTUAL', input: sc({ ingress: [{ ...INGRESS_HTTPS, tls: { mode: 'ISTIO_MUTUAL' } }] }), path: 'spec.ingress[0].tls.mode', message: /cannot set mode to ISTIO_MUTUAL/ },
  { name: 'Sidecar defaultEndpoint not local', input: sc({ ingress: [{ port: { number: 9080, protocol: 'HTTP', name: 'http' }, defaultEndpoint: '10.0.0.1:8080' }] }), path: 'spec.ingress[0].defaultEndpoint', message: /must be of form 127\.0\.0\.1/ },
];

describe('invalid resources are rejected with field paths', () => {
  it('covers at least 25 distinct cases', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  for (const c of CASES) {
    it(c.name, () => {
      const r = validateResource(c.input, { defaultNamespace: 'default' });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      const atPath = r.errors.filter((e) => e.path === c.path);
      expect(atPath, `errors were: ${JSON.stringify(r.errors)}`).not.toHaveLength(0);
      expect(atPath.some((e) => c.message.test(e.message)), `errors at ${c.path}: ${JSON.stringify(atPath)}`).toBe(true);
    });
  }
});

describe('failure details', () => {
  it('identifies the rejected resource', () => {
    const r = validateResource(vs([{}], {}), { defaultNamespace: 'bookinfo' });
    expect(r).toMatchObject({ ok: false, ref: { kind: 'VirtualService', namespace: 'bookinfo', name: 'r1' } });
  });

  it('reports every structural error at once', () => {
    const r = validateResource(vs([{ rout: [], timeout: 5 }, { route: [{ destination: {} }] }]), { defaultNamespace: 'default' });
    if (r.ok) throw new Error('expected failure');
    expect(r.errors.map((e) => e.path).sort()).toEqual(['spec.http[0].rout', 'spec.http[0].timeout', 'spec.http[1].route[0].destination.host']);
  });

  it('rejects something that is not an object', () => {
    const r = validateResource(['a'], { defaultNamespace: 'default' });
    expect(r).toMatchObject({ ok: false, errors: [{ path: '', message: expect.stringMatching(/expected a resource object/) }] });
  });
});

describe('accepted like Istio, with a warning', () => {
  it.each([
    ['subset without labels', dr({ subsets: [{ name: 'v1' }] }), 'spec.subsets[0].labels'],
    ['STATIC ServiceEntry without endpoints', se({ resolution: 'STATIC' }), 'spec.endpoints'],
  ])('%s', (_name, input, path) => {
    const r = validateResource(input, { defaultNamespace: 'default' });
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => w.path)).toContain(path);
  });
});
