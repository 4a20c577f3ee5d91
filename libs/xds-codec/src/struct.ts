/**
 * google.protobuf.Struct / Value / ListValue <-> plain JSON.
 * Mizzen passes Struct-typed fields (node metadata, filter metadata) as plain JSON objects; the
 * codec converts at the wire boundary. Accepts Struct values both as protobufjs message instances
 * (enum nullValue = 0) and as toObject output (nullValue = 'NULL_VALUE').
 */
function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A protobufjs-form google.protobuf.Value to JSON. */
export function valueToJson(v: unknown): unknown {
  if (!isRecord(v)) return null;
  if (v['stringValue'] !== undefined && v['stringValue'] !== null) return v['stringValue'];
  if (v['numberValue'] !== undefined && v['numberValue'] !== null) {
    const n = v['numberValue'];
    // json:true renders non-finite doubles as strings
    return typeof n === 'string' ? Number(n) : n;
  }
  if (v['boolValue'] !== undefined && v['boolValue'] !== null) return v['boolValue'];
  if (v['structValue'] !== undefined && v['structValue'] !== null) return structToJson(v['structValue']);
  if (v['listValue'] !== undefined && v['listValue'] !== null) return listValueToJson(v['listValue']);
  return null;
}

export function listValueToJson(l: unknown): unknown[] {
  const values = isRecord(l) && Array.isArray(l['values']) ? l['values'] : [];
  return values.map(valueToJson);
}

/** A protobufjs-form google.protobuf.Struct ({ fields: { k: Value } }) to a plain JSON object. */
export function structToJson(s: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields = isRecord(s) ? s['fields'] : undefined;
  if (!isRecord(fields)) return out;
  for (const [k, v] of Object.entries(fields)) out[k] = valueToJson(v);
  return out;
}

/** JSON to a protobufjs-form google.protobuf.Value. undefined and functions become null. */
export function jsonToValue(v: unknown): Record<string, unknown> {
  switch (typeof v) {
    case 'string':
      return { stringValue: v };
    case 'number':
      return { numberValue: v };
    case 'boolean':
      return { boolValue: v };
    case 'bigint':
      return { numberValue: Number(v) };
    case 'object':
      if (v === null) return { nullValue: 'NULL_VALUE' };
      if (Array.isArray(v)) return { listValue: jsonToListValue(v) };
      return { structValue: jsonToStruct(v as Record<string, unknown>) };
    default:
      return { nullValue: 'NULL_VALUE' };
  }
}

export function jsonToListValue(a: readonly unknown[]): Record<string, unknown> {
  return { values: a.map(jsonToValue) };
}

/** A plain JSON object to a protobufjs-form google.protobuf.Struct. Keys with undefined values are skipped. */
export function jsonToStruct(o: Record<string, unknown>): unknown {
  const fields: Record<string, unknown> = {};
  if (isRecord(o)) {
    for (const [k, v] of Object.entries(o)) {
      if (v !== undefined) fields[k] = jsonToValue(v);
    }
  }
  return { fields };
}
