import { defineConfig } from '@playwright/test';

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export default defineConfig({
  timeout: 60_000,
  // The daemons the specs start run the compiled CLI.
  globalSetup: './test/cli/global-setup.ts',
  workers: 1,
  outputDir: 'test-results/playwright',
  reporter: [['list']],
  projects: [
    {
      name: 'console-in-chromium',
      testDir: 'test/e2e',
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
        screenshot: 'only-on-failure',
      },
    },
    {
      // Launches the real desktop app; each test skips itself where no Electron binary can be had.
      name: 'desktop-in-electron',
      testDir: 'test/e2e-electron',
    },
  ],
});
