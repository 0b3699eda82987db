// Lint rules for the whole repository: typescript-eslint with type information (each folder's own tsconfig),
// React hooks rules for the console, and the import boundaries between the places code may run.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'stream', 'events'];

/**
 * Zones that let `target` import, of the project, only the given folders of electron/ and the wire types in
 * shared/api. (A zone: files in `target` may not import from `from`, except the paths in `except`, relative to `from`.)
 */
function onlyProjectImports(target, electronFolders, message) {
  return [
    { target, from: './electron', except: electronFolders, message },
    { target, from: './shared', except: ['./api'], message },
    { target, from: './renderer', message },
  ];
}

const boundaries = [
  {
    target: './electron/engine',
    from: [
      './electron/connectors',
      './electron/cli.ts',
      './electron/cli',
      './electron/desktop',
      './electron/main.ts',
      './electron/preload.ts',
      './renderer',
    ],
    message:
      'The engine runs headless and ships no connectors: it never imports the built-in connectors, the CLI, desktop or renderer code (whoever starts a daemon hands it the providers).',
  },
  ...onlyProjectImports(
    './electron/connectors',
    ['./connectors', './connector-sdk'],
    'Connectors are written against the connector SDK only.',
  ),
  ...onlyProjectImports(
    './electron/connector-sdk',
    ['./connector-sdk'],
    'The connector SDK is published on its own: it imports nothing of the project but shared/api.',
  ),
  {
    target: ['./electron/desktop', './electron/main.ts', './electron/preload.ts'],
    from: ['./electron/engine', './electron/connectors', './electron/connector-sdk', './electron/cli', './renderer'],
    message:
      'The desktop talks to its local daemon over REST like to a remote one and runs the compiled CLI as a process: it imports no engine, CLI or connector code.',
  },
  { target: './renderer', from: ['./electron'], message: 'The console runs in a browser too: it talks to daemons through shared/ only.' },
  { target: './shared', from: ['./electron', './renderer'], message: 'shared/ is used by both sides and imports neither.' },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'test-results/', 'playwright-report/', '.state/', 'build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      // Sources import each other by their compiled name (`./x.js` for `x.ts`): the resolver must map it back, or
      // the boundary zones below would see no file and check nothing.
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.json', '.node'],
          extensionAlias: { '.js': ['.ts', '.tsx', '.js'], '.mjs': ['.mts', '.mjs'] },
        }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: boundaries }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // An async method may implement a Promise-returning interface without awaiting: it still turns a throw into a rejection.
      '@typescript-eslint/require-await': 'off',
      // A caught error is passed on as it came; wrapping it would hide its class from the classifier.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true, allowThrowingAny: true }],
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true, allowThrowingAny: true }],
      // Audit lines and CLI tables escape control characters from outside data, so regexes name them on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests read JSON answers and fake module shapes; the source they test is held to the unsafe-any rules.
    files: ['test/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      // Fakes of Electron's objects hand methods around and close over `this` the way Electron's own objects do.
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-this-alias': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'Node built-ins do not exist in the browser.' },
            { group: ['electron'], message: 'Only electron/desktop may import Electron.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/engine/**/*.ts', 'electron/connectors/**/*.ts', 'electron/connector-sdk/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'The engine, the connector SDK and connectors run headless, without Electron.' }] },
      ],
    },
  },
  {
    files: ['renderer/**/*.tsx', 'test/renderer/**/*.tsx'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
  prettier,
);
