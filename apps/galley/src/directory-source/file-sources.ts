import path from 'node:path';
import type { ResourceRef } from '@mizzen/contracts';
import { ConfigBucket } from '@mizzen/contracts';
import type { FieldError } from '@mizzen/mesh-model';
import type { DocumentsReport, ValidResource } from '../ingest/validate-documents';
import { refKey } from '../ingest/validate-documents';

const CONFIG_FILE = /\.(ya?ml|json)$/i;

/** Config files: `*.yaml`, `*.yml`, `*.json`; dot-files (editor temporaries) are skipped. */
export function isConfigFile(file: string): boolean {
  return CONFIG_FILE.test(file) && !path.basename(file).startsWith('.');
}

/** The source recorded for resources from a file: `file:<path relative to the config dir>`. */
export function fileSource(dir: string, file: string): string {
  return `file:${path.relative(dir, file).split(path.sep).join('/')}`;
}

export function refFromKey(key: string): ResourceRef | undefined {
  return ConfigBucket.parseKey(key);
}

/**
 * The resources a file no longer declares: keys it owns that are not in its new content.
 * (Writes of the declared ones are planned by the config store against fresh state.)
 */
export function removedByFile(owned: ReadonlySet<string>, declared: readonly ValidResource[]): string[] {
  const keep = new Set(declared.map((r) => refKey(r.ref)));
  return [...owned].filter((k) => !keep.has(k)).sort();
}

/** Every error of a rejected file, one `path: message` per line, resources named. */
export function describeRejection(report: DocumentsReport): string[] {
  const lines: string[] = report.errors.map(fmt);
  for (const inv of report.invalid) {
    for (const e of inv.errors) lines.push(`${inv.ref.kind}/${inv.ref.namespace}/${inv.ref.name}: ${fmt(e)}`);
  }
  return lines;
}

const fmt = (e: FieldError) => (e.path ? `${e.path}: ${e.message}` : e.message);
