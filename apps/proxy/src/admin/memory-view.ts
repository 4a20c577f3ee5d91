import v8 from 'node:v8';

/**
 * GET /memory, after Envoy's (https://www.envoyproxy.io/docs/envoy/latest/operations/admin#get--memory):
 * `allocated` (bytes in live objects: the V8 heap in use plus memory held outside it by Buffers
 * and other external allocations), `heap_size` (the V8 heap reserved) and `total_physical_bytes`
 * (the process's resident set), as strings of decimal bytes like Envoy's, plus Node's own split:
 * the V8 heap by space, external and ArrayBuffer memory, and code.
 */
export function memoryView(): Record<string, unknown> {
  const m = process.memoryUsage();
  const h = v8.getHeapStatistics();
  const code = v8.getHeapCodeStatistics();
  return {
    allocated: String(m.heapUsed + m.external),
    heap_size: String(m.heapTotal),
    total_physical_bytes: String(m.rss),
    node: {
      rss: m.rss,
      v8_heap_used: m.heapUsed,
      v8_heap_total: m.heapTotal,
      v8_heap_physical: h.total_physical_size,
      external: m.external,
      array_buffers: m.arrayBuffers,
      code_and_metadata: code.code_and_metadata_size + code.bytecode_and_metadata_size,
      heap_spaces: Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { used: s.space_used_size, size: s.space_size }])),
    },
  };
}
