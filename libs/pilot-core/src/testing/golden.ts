import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

/**
 * Compares `value` with the golden file `name` under `__golden__/` next to the calling test.
 * `UPDATE_GOLDEN=1` rewrites the files; review the diff before committing.
 */
export function expectGolden(dir: string, name: string, value: unknown): void {
  const file = path.join(dir, '__golden__', `${name}.json`);
  const text = JSON.stringify(value, null, 2) + '\n';
  if (process.env.UPDATE_GOLDEN === '1' || !fs.existsSync(file)) {
    if (process.env.CI && !fs.existsSync(file)) throw new Error(`golden file ${file} is missing (run with UPDATE_GOLDEN=1 locally)`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return;
  }
  expect(text).toBe(fs.readFileSync(file, 'utf8'));
}
