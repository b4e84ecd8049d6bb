// ESLint 9 flat config: Next.js's own rules (React, hooks, a11y basics, Core Web Vitals) and
// typescript-eslint's recommended rules, as shipped by eslint-config-next 16.
// typescript-eslint 8.74 (pulled in by eslint-config-next) supports TypeScript >=4.8.4 <6.1.0,
// so our TypeScript 5.9 parses without the "unsupported version" warning.
import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const config = [
  {
    ignores: [
      'node_modules/**',
      '.next/**',
      '.next-e2e-*/**',
      '.data/**',
      '.sim/**',
      '.test-data/**',
      'test-results/**',
      'playwright-report/**',
      'bench/out/**',
      'lib/generated/**',
      'next-env.d.ts',
    ],
  },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      // `_`-prefixed names are deliberately unused (positional arguments, destructuring).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Separate programs (CLI scripts, the simulator, tests, benchmarks) may use require() and
    // CommonJS-style config files.
    // CommonJS-style config files; tool config files export an anonymous default by convention.
    files: ['scripts/**', 'sim/**', 'tests/**', 'bench/**', '*.config.*', '*.cjs', '*.js', '*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off', 'import/no-anonymous-default-export': 'off' },
  },
  {
    // Playwright fixtures receive a callback named `use`, which the React hooks rule mistakes
    // for React's `use()`.
    files: ['tests/e2e/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
];

export default config;
