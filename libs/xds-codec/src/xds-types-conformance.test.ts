/**
 * Checks @mizzen/xds-types against the protos this codec loads, without importing it (a util
 * library may not depend on a core one): the TypeScript sources are parsed as text. Every
 * interface tagged `@proto <message>` must use only field names of that message, with matching
 * cardinality (T[] <-> repeated, Record<string, T> <-> map), message types (via their own @proto
 * tags and the google.protobuf wrappers) and enum names. A misspelt field in xds-types would
 * otherwise only surface as an encode error in Pilot.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { protoRoot } from './proto-root';

const TYPES_SRC = path.resolve(__dirname, '../../xds-types/src');

interface Decl {
  name: string;
  proto?: string;
  node: ts.InterfaceDeclaration | ts.TypeAliasDeclaration;
  file: string;
}

/** Well-known types xds-types spells with its own names. */
const WKT: Record<string, string> = {
  Duration: 'google.protobuf.Duration',
  UInt32Value: 'google.protobuf.UInt32Value',
  UInt64Value: 'google.protobuf.UInt64Value',
  BoolValue: 'google.protobuf.BoolValue',
  DoubleValue: 'google.protobuf.DoubleValue',
  Any: 'google.protobuf.Any',
  JsonObject: 'google.protobuf.Struct',
  Status: 'google.rpc.Status',
};

function collect(): Map<string, Decl> {
  const decls = new Map<string, Decl>();
  for (const file of fs.readdirSync(TYPES_SRC, { recursive: true }) as string[]) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const full = path.join(TYPES_SRC, file);
    const sf = ts.createSourceFile(full, fs.readFileSync(full, 'utf8'), ts.ScriptTarget.ES2022, true);
    sf.forEachChild((node) => {
      if (!ts.isInterfaceDeclaration(node) && !ts.isTypeAliasDeclaration(node)) return;
      const tag = ts.getJSDocTags(node).find((t) => t.tagName.text === 'proto');
      const comment = typeof tag?.comment === 'string' ? tag.comment.trim() : undefined;
      decls.set(node.name.text, { name: node.name.text, proto: comment, node, file });
    });
  }
  return decls;
}

function literalUnion(t: ts.TypeNode): string[] | undefined {
  const parts = ts.isUnionTypeNode(t) ? [...t.types] : [t];
  const out: string[] = [];
  for (const p of parts) {
    if (ts.isLiteralTypeNode(p) && ts.isStringLiteral(p.literal)) out.push(p.literal.text);
    else return undefined;
  }
  return out;
}

const NUMERIC = new Set(['double', 'float', 'int32', 'uint32', 'sint32', 'fixed32', 'sfixed32', 'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

/** Problems with one property's type against its proto field ([] when fine). */
function checkType(t: ts.TypeNode, field: protobuf.Field, decls: Map<string, Decl>, where: string, inCollection = false): string[] {
  const rt = field.resolvedType;
  // an untagged alias (e.g. TypedPerFilterConfig = Record<string, Any>): check what it stands for
  const alias = ts.isTypeReferenceNode(t) ? decls.get(t.typeName.getText()) : undefined;
  if (alias && !alias.proto && ts.isTypeAliasDeclaration(alias.node) && !literalUnion(alias.node.type)) {
    return checkType(alias.node.type, field, decls, where, inCollection);
  }
  if (ts.isArrayTypeNode(t) || (ts.isTypeReferenceNode(t) && t.typeName.getText() === 'Array')) {
    if (!field.repeated) return [`${where}: array type but the field is not repeated`];
    const el = ts.isArrayTypeNode(t) ? t.elementType : t.typeArguments![0];
    return checkType(el, field, decls, where, true);
  }
  if (ts.isTypeReferenceNode(t) && t.typeName.getText() === 'Record' && field.map && !inCollection) {
    return checkType(t.typeArguments![1], field, decls, where, true);
  }
  if (!inCollection && (field.repeated || field.map)) return [`${where}: field is ${field.map ? 'a map' : 'repeated'} but the type is not`];

  const lits = literalUnion(t);
  if (ts.isTypeReferenceNode(t) && !lits) {
    const name = t.typeName.getText();
    const d = decls.get(name);
    const aliasLits = d && ts.isTypeAliasDeclaration(d.node) ? literalUnion(d.node.type) : undefined;
    if (aliasLits) return checkEnum(aliasLits, rt, where);
    const proto = WKT[name] ?? d?.proto;
    if (!proto) return []; // an untagged helper type: nothing to compare
    if (!(rt instanceof protobuf.Type) || rt.fullName !== `.${proto}`) {
      return [`${where}: ${name} is ${proto} but the field is ${rt?.fullName ?? field.type}`];
    }
    return [];
  }
  if (lits) return checkEnum(lits, rt, where);
  switch (t.kind) {
    case ts.SyntaxKind.StringKeyword:
      return field.type === 'string' || field.type === 'bytes' ? [] : [`${where}: string but the field is ${field.type}`];
    case ts.SyntaxKind.NumberKeyword:
      return NUMERIC.has(field.type) ? [] : [`${where}: number but the field is ${field.type}`];
    case ts.SyntaxKind.BooleanKeyword:
      return field.type === 'bool' ? [] : [`${where}: boolean but the field is ${field.type}`];
    default:
      return [];
  }
}

function checkEnum(lits: string[], rt: protobuf.Type | protobuf.Enum | null, where: string): string[] {
  if (!(rt instanceof protobuf.Enum)) return [`${where}: string literal union but the field is not an enum`];
  const bad = lits.filter((l) => !(l in rt.values));
  return bad.length ? [`${where}: ${bad.join(', ')} not in ${rt.fullName.slice(1)}`] : [];
}

describe('@mizzen/xds-types conforms to the Envoy protos', () => {
  const decls = collect();
  const tagged = [...decls.values()].filter((d) => d.proto);

  it('tags the message interfaces', () => {
    expect(tagged.length).toBeGreaterThan(60);
    for (const name of ['Listener', 'RouteConfiguration', 'Cluster', 'ClusterLoadAssignment', 'HttpConnectionManager', 'Route', 'HeaderMatcher']) {
      expect(decls.get(name)?.proto, name).toBeTruthy();
    }
  });

  it('every @proto message exists and every field name, cardinality and type matches', () => {
    const root = protoRoot();
    const problems: string[] = [];
    for (const d of tagged) {
      let type: protobuf.Type;
      try {
        type = root.lookupType(`.${d.proto}`);
      } catch {
        problems.push(`${d.file}: ${d.name}: no message ${d.proto}`);
        continue;
      }
      if (!ts.isInterfaceDeclaration(d.node)) continue;
      for (const m of d.node.members) {
        if (!ts.isPropertySignature(m) || !m.type) continue;
        const key = m.name.getText().replace(/^'|'$/g, '');
        const where = `${d.name}.${key}`;
        const field = Object.prototype.hasOwnProperty.call(type.fields, key) ? type.fields[key] : undefined;
        if (!field) {
          problems.push(`${where}: no field ${key} in ${d.proto}`);
          continue;
        }
        problems.push(...checkType(m.type, field, decls, where));
      }
    }
    expect(problems).toEqual([]);
  });
});
