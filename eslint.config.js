// ESLint (flat config): the recommended rules of ESLint and typescript-eslint, run by `npm run lint`
// (part of `npm test`). The architecture's own rules (floors, entries, extensions) are checked by
// test/architecture.test.ts.
const js = require('@eslint/js');
const globals = require('globals');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['dist/', 'app/dist/', 'coverage/', 'demo-report/', 'bench/tmp/', 'out/', 'docs/api/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      eqeqeq: ['error', 'smart'],
      'prefer-const': 'error',
      'no-var': 'error',
    },
  },
  {
    // Benchmarks, examples, scripts and configs are CommonJS scripts.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Browser code: the packaging and browser tests' fixtures and the playground's page run as ES
    // modules in a page.
    files: [
      'test/package/fixtures/**/*.js',
      'test/package/fixtures/**/*.mjs',
      'test/browser/fixtures/**/*.mjs',
      'playground/app.js',
    ],
    languageOptions: { sourceType: 'module', globals: { ...globals.browser, ...globals.node } },
  },
);
