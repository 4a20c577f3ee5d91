// Lint: TypeScript rules plus Nx module boundaries. The boundary rules are the architecture:
// type:core depends on nothing but core; adapters on core/contracts/util; apps never on apps;
// a scope only on itself and scope:shared. A crossing fails `npm run lint` (and so `npm test`).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import fs from 'node:fs';
import path from 'node:path';

// Every project tagged type:core, read from its project.json, so a new core library is covered.
const coreFiles = fs
  .readdirSync('libs')
  .filter((d) => {
    const f = path.join('libs', d, 'project.json');
    return fs.existsSync(f) && JSON.parse(fs.readFileSync(f, 'utf8')).tags?.includes('type:core');
  })
  .map((d) => `libs/${d}/src/**/*.ts`);

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.nx/**', 'tmp/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:core', 'type:contracts', 'type:util', 'type:adapter'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:core', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:core', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:core', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:core', 'type:contracts'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:pilot', onlyDependOnLibsWithTags: ['scope:pilot', 'scope:shared'] },
            { sourceTag: 'scope:galley', onlyDependOnLibsWithTags: ['scope:galley', 'scope:shared'] },
            { sourceTag: 'scope:proxy', onlyDependOnLibsWithTags: ['scope:proxy', 'scope:shared'] },
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:cli', 'scope:shared'] },
            { sourceTag: 'scope:citadel', onlyDependOnLibsWithTags: ['scope:citadel', 'scope:shared'] },
            { sourceTag: 'scope:bench', onlyDependOnLibsWithTags: ['scope:shared', 'scope:bench'] },
            { sourceTag: 'scope:samples', onlyDependOnLibsWithTags: ['scope:samples'] },
            { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared', 'scope:e2e'] },
          ],
        },
      ],
    },
  },
  {
    // The domain core is pure: no I/O, no frameworks, no clock-driven servers. Its tests and test
    // support (golden files) may read files.
    files: coreFiles,
    ignores: ['**/*.test.ts', '**/testing/**', '**/__tests__/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:fs', 'fs', 'node:net', 'net', 'node:http', 'http', 'node:http2', 'node:tls', 'node:child_process', 'node:dgram', 'node:dns', 'fs/*', 'node:fs/*'],
              message: 'core libraries do no I/O',
            },
            { group: ['@nestjs/*', 'nats', '@grpc/*', 'undici', 'protobufjs', '@kubernetes/*'], message: 'core libraries depend on no framework or transport' },
          ],
        },
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'core libraries read no environment' }],
    },
  },
);
