/**
 * Lazily loads the Envoy v3 protos (shipped inside @grpc/grpc-js-xds under deps/) into one
 * protobufjs Root, once per process.
 *
 * Parsing the ~300 .proto files in the closure of PROTO_FILES takes 300-450 ms on the reference
 * machine; rebuilding the Root from a JSON descriptor (root.toJSON()) takes ~100-200 ms. So the
 * first load in a process tries a descriptor cached in a private per-user directory under
 * os.tmpdir() (mode 0700, ownership checked: /tmp is shared), keyed by a hash of this
 * package's version, the protobufjs and @grpc/grpc-js-xds versions and the file list; on a miss it
 * parses the protos and writes the descriptor (atomically: temp file + rename; write errors are
 * ignored, the cache is only an optimisation). `loadStats()` reports which path was taken and how
 * long it took; `preloadProtos()` lets a server pay the cost at start-up rather than on first push.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import { PROTO_FILES } from './proto-files';

export interface ProtoLoadStats {
  /** 'protos': parsed the .proto files; 'cache': rebuilt from the cached JSON descriptor. */
  source: 'protos' | 'cache';
  ms: number;
  /** Undefined when no private cache directory could be ensured (the protos are parsed each time). */
  cacheFile: string | undefined;
}

let root: protobuf.Root | undefined;
let stats: ProtoLoadStats | undefined;

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

function readVersion(dir: string): string {
  return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Include directories, searched in order, like protoc's -I. */
export function protoIncludeDirs(): string[] {
  const deps = path.join(packageDir('@grpc/grpc-js-xds'), 'deps');
  return [
    path.join(deps, 'envoy-api'),
    path.join(deps, 'xds'),
    path.join(deps, 'googleapis'),
    path.join(deps, 'protoc-gen-validate'),
    // google/protobuf/*.proto (descriptor.proto in particular) as shipped with protobufjs.
    packageDir('protobufjs'),
    // Istio protos Mizzen sends (subsets, field numbers as upstream).
    path.resolve(__dirname, '..', 'protos'),
  ];
}

/** Parses the .proto files (slow path). Exported for tests that compare it with the cache. */
export function parseProtos(): protobuf.Root {
  const dirs = protoIncludeDirs();
  const r = new protobuf.Root();
  r.resolvePath = (_origin: string, target: string): string => {
    if (path.isAbsolute(target)) return target;
    for (const dir of dirs) {
      const candidate = path.join(dir, target);
      if (fs.existsSync(candidate)) return candidate;
    }
    return target;
  };
  r.loadSync([...PROTO_FILES], { keepCase: false });
  r.resolveAll();
  return r;
}

/** Bump when the cached descriptor's meaning changes. */
const CACHE_FORMAT = 1;

/**
 * A private per-user directory under os.tmpdir() (mode 0700, owned by us), or undefined when that
 * cannot be ensured: /tmp is shared, and a descriptor planted by someone else must not be loaded
 * (protobufjs generates code from descriptors).
 */
function privateCacheDir(): string | undefined {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const dir = path.join(os.tmpdir(), `mizzen-xds-codec-${uid ?? os.userInfo().username}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return undefined;
    if (uid !== undefined && (st.uid !== uid || (st.mode & 0o077) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/** The descriptor cache file for this exact set of inputs, or undefined if there is no safe place. */
function cacheFile(): string | undefined {
  const dir = privateCacheDir();
  if (!dir) return undefined;
  const codecDir = path.resolve(__dirname, '..');
  const key = crypto
    .createHash('sha256')
    .update(
      JSON.stringify([
        CACHE_FORMAT,
        readVersion(codecDir),
        readVersion(packageDir('protobufjs')),
        readVersion(packageDir('@grpc/grpc-js-xds')),
        PROTO_FILES,
      ]),
    )
    .digest('hex')
    .slice(0, 16);
  return path.join(dir, `descriptor-${key}.json`);
}

function loadFromCache(file: string): protobuf.Root | undefined {
  try {
    const r = protobuf.Root.fromJSON(JSON.parse(fs.readFileSync(file, 'utf8')) as protobuf.INamespace);
    r.resolveAll();
    return r;
  } catch {
    return undefined;
  }
}

function writeCache(file: string, r: protobuf.Root): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.writeFileSync(tmp, JSON.stringify(r.toJSON()));
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // best effort
    }
  }
}

/**
 * Loads the Root from the descriptor cache `file`, or parses the protos and (re)writes `file`.
 * Exported for tests; everything else uses protoRoot().
 */
export function loadRootVia(file: string | undefined): { root: protobuf.Root; source: ProtoLoadStats['source'] } {
  const cached = file && fs.existsSync(file) ? loadFromCache(file) : undefined;
  if (cached) return { root: cached, source: 'cache' };
  const parsed = parseProtos();
  if (file) writeCache(file, parsed);
  return { root: parsed, source: 'protos' };
}

/** The shared Root; loads it on first call. */
export function protoRoot(): protobuf.Root {
  if (root) return root;
  const start = process.hrtime.bigint();
  const file = cacheFile();
  const loaded = loadRootVia(file);
  root = loaded.root;
  stats = { source: loaded.source, ms: Number(process.hrtime.bigint() - start) / 1e6, cacheFile: file };
  return root;
}

/** Loads the protos now (e.g. at server start) instead of on the first encode/decode. */
export function preloadProtos(): ProtoLoadStats {
  protoRoot();
  return loadStats() as ProtoLoadStats;
}

/** How the protos were loaded, or undefined if they have not been yet. */
export function loadStats(): ProtoLoadStats | undefined {
  return stats ? { ...stats } : undefined;
}

const typeCache = new Map<string, protobuf.Type | null>();

/** Message type for a fully qualified name or a type URL; undefined if not loaded. */
export function findType(nameOrUrl: string): protobuf.Type | undefined {
  let t = typeCache.get(nameOrUrl);
  if (t === undefined) {
    const name = nameOrUrl.slice(nameOrUrl.lastIndexOf('/') + 1).replace(/^\./, '');
    let found: protobuf.Type | null = null;
    if (name) {
      try {
        found = protoRoot().lookupType(`.${name}`);
      } catch {
        found = null;
      }
    }
    typeCache.set(nameOrUrl, found);
    t = found;
  }
  return t ?? undefined;
}

/** Like findType, but throws for unknown types. */
export function requireType(nameOrUrl: string): protobuf.Type {
  const t = findType(nameOrUrl);
  if (!t) throw new Error(`xds-codec: message type ${JSON.stringify(nameOrUrl)} is not loaded (see proto-files.ts)`);
  return t;
}
