import { defineConfig } from 'vitest/config';
import swc from 'unplugin-swc';
import path from 'node:path';
import fs from 'node:fs';

// Unit tests run against sources: @mizzen/<lib> resolves to libs/<lib>/src (swc keeps Nest's
// decorator metadata). End-to-end tests spawn the built apps (dist) as real processes.
const alias = Object.fromEntries(
  fs
    .readdirSync(path.resolve(import.meta.dirname, 'libs'))
    .map((name) => [`@mizzen/${name}`, path.resolve(import.meta.dirname, 'libs', name, 'src/index.ts')]),
);

export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['libs/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'samples/*/src/**/*.test.ts', 'bench/src/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/src/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
