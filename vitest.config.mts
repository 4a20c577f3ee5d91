import { defineConfig } from 'vitest/config';
import swc from 'unplugin-swc';
import path from 'node:path';

// Unit tests run against sources: @mizzen/<lib> resolves to libs/<lib>/src (swc keeps Nest's
// decorator metadata), a subpath entry @mizzen/<lib>/<entry> (package.json `exports`) to
// libs/<lib>/src/<entry>.ts. End-to-end tests spawn the built apps (dist) as real processes.
const libs = path.resolve(import.meta.dirname, 'libs');
const alias = [
  { find: /^@mizzen\/([\w-]+)$/, replacement: `${libs}/$1/src/index.ts` },
  { find: /^@mizzen\/([\w-]+)\/([\w-]+)$/, replacement: `${libs}/$1/src/$2.ts` },
];

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
