import fs from 'node:fs';
import path from 'node:path';
import { renderMarkdown } from './markdown';
import type { BenchResults } from './model';

/** Writes the JSON (NaN as null) and the Markdown report; creates directories as needed. */
export function writeResults(results: BenchResults, jsonPath: string, mdPath: string, analysisFile: string): void {
  fs.mkdirSync(path.dirname(jsonPath), { recursive: true });
  fs.writeFileSync(jsonPath, `${JSON.stringify(results, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
  fs.mkdirSync(path.dirname(mdPath), { recursive: true });
  fs.writeFileSync(mdPath, renderMarkdown(results, analysisFile));
}
