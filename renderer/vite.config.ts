// Builds the console to dist/renderer. Relative asset paths let the same build load from the daemon's
// /console/ route, from file:// in Electron, and from any test server. Paths come from import.meta.dirname so
// this file needs no Node built-in import (the renderer tree must not have any).
import react from '@vitejs/plugin-react';
import { defineConfig, type Alias } from 'vite';

const here = import.meta.dirname;

/**
 * The console is written against React's API and runs on Preact's compatibility layer: react-dom's own chunk
 * (about 220 KB, one function) took 55–68 ms to evaluate, a long task no loading in stages could split, where
 * Preact is about 12 KB. The renderer tests resolve React the same way (vitest.config.ts), so they test what ships.
 */
export const reactIsPreact: Alias[] = [
  { find: /^react$/, replacement: 'preact/compat' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react-dom\/test-utils$/, replacement: 'preact/test-utils' },
];

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  resolve: { alias: reactIsPreact },
  build: {
    outDir: `${here}/../dist/renderer`,
    emptyOutDir: true,
    sourcemap: true,
    // Modulepreload's polyfill would be an inline script, which the console's CSP forbids.
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
