import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO } from './support/mesh';

/**
 * The Nx boundary rules must bind: lint source text as if it lived in a project and expect the
 * crossing to be reported (nothing is written to the tree).
 */
async function lintAs(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: REPO });
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries', () => {
  it('a core library may not import an adapter or util library', async () => {
    const msgs = await lintAs('libs/mesh-model/src/probe.ts', "import { Bus } from '@mizzen/bus';\nexport const b = Bus;\n");
    expect(msgs.some((m) => m.startsWith('@nx/enforce-module-boundaries') && m.includes('type:core'))).toBe(true);
  });

  it('an app may not import another app', async () => {
    const msgs = await lintAs('apps/pilot/src/probe.ts', "import '@mizzen/galley';\n");
    expect(msgs.some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('a core library does no I/O and reads no environment', async () => {
    const msgs = await lintAs('libs/pilot-core/src/probe.ts', "import fs from 'node:fs';\nexport const x = fs.existsSync(process.env.X ?? '');\n");
    expect(msgs.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
    expect(msgs.some((m) => m.startsWith('no-restricted-properties'))).toBe(true);
  });

  it('allowed dependencies lint clean', async () => {
    const msgs = await lintAs('apps/pilot/src/probe.ts', "import { MeshSnapshot } from '@mizzen/pilot-core';\nexport const s = MeshSnapshot;\n");
    expect(msgs.filter((m) => m.startsWith('@nx/'))).toEqual([]);
  });
});
