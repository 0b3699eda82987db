// A connector's catalog targets in Debian Chromium against a real daemon: a files monitor on two directories, one
// missing. Its row says "1 of 2 catalog targets failing"; its details list each target with status, last run and
// error; Retry tries the failed target again without restarting the connector; once the directory exists the target
// comes back on its own and the row no longer says any target fails; Resync refreshes one target.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { daemonDirectory, ensureConsoleBuilt, startDaemon, type RunningDaemon } from './support/daemon.js';
import { screenshotBothThemes } from './support/screenshots.js';

let daemon: RunningDaemon;
let missing: string;

test.beforeAll(async () => {
  ensureConsoleBuilt();
  const dir = daemonDirectory('targets');
  const present = join(dir, 'landing');
  missing = join(dir, 'incoming');
  mkdirSync(present);
  writeFileSync(join(present, 'orders.csv'), 'id\n1\n');
  daemon = await startDaemon(
    {
      serverName: 'targetsE2E',
      connectors: [
        {
          connectorName: 'TwoFolders',
          connectorProvider: 'data-files-monitor',
          endpointAddress: present,
          configurationProperties: { watchChanges: false },
          catalogTargets: [
            { catalogTargetName: 'landing', endpointAddress: present },
            { catalogTargetName: 'incoming', endpointAddress: missing },
          ],
        },
      ],
    },
    dir,
  );
});

test.afterAll(async () => {
  await daemon?.stop();
});

test('the details list each catalog target; Retry tries a failed one again at once; it comes back once its directory exists', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(daemon.consoleUrl);
  const row = page.locator('[data-testid="connector-row"][data-connector="TwoFolders"]');
  await expect(row.getByTestId('targets-failing')).toHaveText('1 of 2 catalog targets failing', { timeout: 20_000 });

  await page.getByRole('button', { name: 'Details of connector TwoFolders' }).click();
  const targets = page.getByTestId('catalog-targets');
  const incoming = targets.locator('[data-testid="catalog-target-row"][data-target="incoming"]');
  const landing = targets.locator('[data-testid="catalog-target-row"][data-target="landing"]');
  await expect(incoming).toContainText('FAILED');
  await expect(incoming).toContainText('BASIC-FILES-INTEGRATION-CONNECTORS-404-001');
  await expect(incoming).toContainText(/retry \d+ in \d\d:\d\d|retrying…/);
  await expect(landing).toContainText('WAITING');
  await expect(landing).toContainText('1 new');
  await screenshotBothThemes(page, 'catalog-targets-failing');

  // Retry while the directory is still missing: tried again at once, still FAILED, the connector untouched.
  await incoming.getByRole('button', { name: 'Retry catalog target incoming' }).click();
  await expect(page.getByText('Retry of catalog target incoming (TwoFolders) done')).toBeVisible();
  await expect(incoming).toContainText('FAILED');
  await expect(page.getByTestId('connector-details').locator('dl.facts')).toContainText('WAITING');

  // The directory created, the target comes back on its own and catalogues its file.
  mkdirSync(missing);
  writeFileSync(join(missing, 'later.csv'), 'id\n2\n');
  await expect(incoming).toContainText('WAITING', { timeout: 20_000 });
  await expect(incoming).toContainText('1 new');
  await expect(row.getByTestId('targets-failing')).toHaveCount(0);
  await landing.getByRole('button', { name: 'Resync catalog target landing' }).click();
  await expect(page.getByText('Resync of catalog target landing (TwoFolders) done')).toBeVisible();
  expect(errors).toEqual([]);
});
