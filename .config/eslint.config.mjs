// ESLint for TypeScript, Astro components and build scripts. Formatting is Prettier's job.
import astro from 'eslint-plugin-astro';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'test-results/**',
      '.cache/**',
      '.astro/**',
      'node_modules/**',
      'public/**',
      'src/content/docs/**',
    ],
  },
  ...tseslint.configs.recommended,
  ...astro.configs['flat/recommended'],
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The isolation bootstrap is inlined into every page as ES2017 with no modules.
    files: ['src/client/isolation-bootstrap.js'],
    languageOptions: { sourceType: 'script', globals: { __BASE__: 'readonly' } },
    // ES2017 has no optional catch binding, so `catch (e) {}` stays.
    rules: { 'no-empty': 'off', '@typescript-eslint/no-unused-vars': 'off' },
  },
);
