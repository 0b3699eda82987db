import { defineConfig } from 'vitest/config';
import { reactIsPreact } from './renderer/vite.config.js';

export default defineConfig({
  // The renderer tests run on the React runtime the console ships with (see renderer/vite.config.ts). Testing
  // Library's main entry is CommonJS, whose require() no alias reaches: its ES module build is inlined instead,
  // so the alias gives it the same runtime as the components it renders.
  resolve: {
    alias: [
      ...reactIsPreact,
      { find: /^@testing-library\/react$/, replacement: '@testing-library/react/dist/@testing-library/react.esm.js' },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Tests that start daemon processes run the compiled CLI.
    globalSetup: ['test/cli/global-setup.ts'],
    server: { deps: { inline: ['@testing-library/react', 'zustand'] } },
  },
});
