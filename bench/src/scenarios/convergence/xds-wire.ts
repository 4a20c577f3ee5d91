/**
 * Just enough protobuf reading for a simulated xDS client: inside the resources of a
 * DiscoveryResponse (read by response-reader.ts), the few fields a proxy needs to continue the
 * protocol (a Cluster's name, type and EDS service name; a ClusterLoadAssignment's endpoint
 * addresses). Resource bodies are not decoded otherwise, so thousands of clients in one process
 * cost little and the client side is not the bottleneck.
 * Field numbers: envoy/service/discovery/v3/discovery.proto, envoy/config/cluster/v3/cluster.proto,
 * envoy/config/endpoint/v3/endpoint.proto, google/protobuf/any.proto.
 */

export interface LightResponse {
  versionInfo: string;
  typeUrl: string;
  nonce: string;
  /** The resources kept, each a google.protobuf.Any message. */
  resources: Buffer[];
  /** Resources received but skipped unread. */
  skippedResources: number;
}

type FieldFn = (field: number, wire: number, buf: Buffer, start: number, end: number, varint: number) => void;

function readVarint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let mul = 1;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++];
    result += (b & 0x7f) * mul;
    if (b < 0x80) return [result, pos];
    mul *= 128;
  }
}

/** Calls `fn` for each field of the message in `buf[start, end)`. */
export function forEachField(buf: Buffer, start: number, end: number, fn: FieldFn): void {
  let pos = start;
  while (pos < end) {
    const [tag, p1] = readVarint(buf, pos);
    pos = p1;
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) {
      const [v, p2] = readVarint(buf, pos);
      fn(field, wire, buf, pos, p2, v);
      pos = p2;
    } else if (wire === 2) {
      const [len, p2] = readVarint(buf, pos);
      fn(field, wire, buf, p2, p2 + len, 0);
      pos = p2 + len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  if (pos !== end) throw new Error('message overruns its length');
}

/** The `value` bytes of an Any. */
function anyValue(any: Buffer): Buffer {
  let out: Buffer = Buffer.alloc(0);
  forEachField(any, 0, any.length, (field, wire, b, s, e) => {
    if (field === 2 && wire === 2) out = b.subarray(s, e);
  });
  return out;
}

const CLUSTER_TYPE_EDS = 3;

/** EDS resource names a proxy subscribes to after a CDS response (eds service_name, else cluster name). */
export function edsNames(clusters: readonly Buffer[]): string[] {
  const names: string[] = [];
  for (const any of clusters) {
    const c = anyValue(any);
    let name = '';
    let type = 0;
    let serviceName = '';
    forEachField(c, 0, c.length, (field, wire, b, s, e, v) => {
      if (field === 1 && wire === 2) name = b.toString('utf8', s, e);
      else if (field === 2 && wire === 0) type = v;
      else if (field === 3 && wire === 2) {
        forEachField(b, s, e, (f2, w2, b2, s2, e2) => {
          if (f2 === 2 && w2 === 2) serviceName = b2.toString('utf8', s2, e2);
        });
      }
    });
    if (type === CLUSTER_TYPE_EDS) names.push(serviceName || name);
  }
  return names.sort();
}

/** Every endpoint address (`ip`) in ClusterLoadAssignments. */
export function endpointAddresses(clas: readonly Buffer[]): string[] {
  const out: string[] = [];
  // CLA.endpoints(2) -> LocalityLbEndpoints.lb_endpoints(2) -> LbEndpoint.endpoint(1)
  // -> Endpoint.address(1) -> Address.socket_address(1) -> SocketAddress.address(2)
  const path = [2, 2, 1, 1, 1];
  const walk = (b: Buffer, s: number, e: number, depth: number): void => {
    forEachField(b, s, e, (f, w, b2, s2, e2) => {
      if (w !== 2) return;
      if (depth < path.length && f === path[depth]) walk(b2, s2, e2, depth + 1);
      else if (depth === path.length && f === 2) out.push(b2.toString('utf8', s2, e2));
    });
  };
  for (const any of clas) {
    const v = anyValue(any);
    walk(v, 0, v.length, 0);
  }
  return out;
}
