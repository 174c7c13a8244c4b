import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '.next/**',
      '.next-e2e/**',
      'node_modules/**',
      'firmware/**',
      'db/migrations/**',
      'data/**',
      'coverage/**',
      'test-results/**',
      'next-env.d.ts',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Route handlers and pages stay thin: data access goes through lib/data.
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['drizzle-orm', 'drizzle-orm/*', '@/db/client'],
              message: 'Call lib/data/* instead of Drizzle inside app/ or components/.',
            },
          ],
        },
      ],
    },
  },
  {
    // lib/data is the bottom layer: the services above it import it, never the other way round
    // (lib/import-cycles.test.ts checks the whole of lib/). Shared shapes go in lib/data/types.ts.
    files: ['lib/data/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'backup',
                'notifications',
                'devices',
                'recognition',
                'enrollment',
                'review',
                'camera',
                'dashboard',
              ]
                .flatMap((f) => [`@/lib/${f}`, `@/lib/${f}/*`, `../${f}`, `../${f}/*`])
                .concat(['@/app', '@/app/*']),
              message:
                'lib/data is the bottom layer: move the shared type or constant into lib/data (e.g. lib/data/types.ts), or the logic up into the service.',
            },
            {
              group: ['@/lib/face', '@/lib/face/*', '../face', '../face/*'],
              allowTypeImports: true,
              message: 'lib/data may use lib/face types, not its runtime code.',
            },
          ],
        },
      ],
    },
  },
);
