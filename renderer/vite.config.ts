// Builds the console to dist/renderer. Relative asset paths let the same build load from the daemon's
// /console/ route, from file:// in Electron, and from any test server. Paths come from import.meta.dirname so
// this file needs no Node built-in import (the renderer tree must not have any).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${here}/../dist/renderer`,
    emptyOutDir: true,
    sourcemap: true,
    // Modulepreload's polyfill would be an inline script, which the console's CSP forbids.
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
