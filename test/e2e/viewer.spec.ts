// The console opened with a viewer token against a real daemon (`integration-daemon serve` with
// INTEGRATION_DAEMON_VIEWER_TOKEN): it watches everything and offers no change. Every changing button is disabled
// with the one sentence as its accessible description, "+ Add connector" is not there, a "viewer" tag sits by the
// daemon's name, and nothing the viewer does reaches the daemon as a change.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { daemonDirectory, ensureConsoleBuilt, startDaemon, type RunningDaemon } from './support/daemon.js';
import { screenshotBothThemes } from './support/screenshots.js';

const SENTENCE = "This console's token is a viewer token: it can watch but not change. Use an operator token to restart, refresh or edit.";
const VIEWER_TOKEN = `e2e-viewer-${Math.random().toString(36).slice(2)}-token`;

let daemon: RunningDaemon;

test.beforeAll(async () => {
  ensureConsoleBuilt();
  const dir = daemonDirectory('viewer');
  const landing = join(dir, 'landing-area');
  mkdirSync(landing);
  daemon = await startDaemon(
    {
      serverName: 'viewerE2E',
      viewerToken: VIEWER_TOKEN,
      connectors: [
        { connectorName: 'LandingAreaFilesMonitor', connectorProvider: 'data-files-monitor', endpointAddress: landing },
        {
          connectorName: 'MissingAreaFilesMonitor',
          connectorProvider: 'data-files-monitor',
          endpointAddress: join(dir, 'not-yet-created'),
          retry: { initialInterval: 'PT10M', retryLimit: 5 },
        },
      ],
    },
    dir,
  );
});

test.afterAll(async () => {
  await daemon?.stop();
});

function connectorRow(page: Page, name: string): Locator {
  return page.locator(`[data-testid="connector-row"][data-connector="${name}"]`);
}

async function expectRefused(button: Locator): Promise<void> {
  await expect(button).toBeDisabled();
  await expect(button).toHaveAccessibleDescription(SENTENCE);
}

async function openAs(page: Page, token: string): Promise<void> {
  await page.goto(`${daemon.url}/console/#token=${encodeURIComponent(token)}&userId=${daemon.userId}`);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await expect(connectorRow(page, 'MissingAreaFilesMonitor').getByTestId('connector-status')).toHaveText(/RETRYING/);
}

test('a viewer token gets a read-only console: changing buttons disabled with the sentence, no add, a viewer tag', async ({ page }) => {
  const changes: string[] = [];
  page.on('request', (request) => {
    if (request.method() !== 'GET' && request.method() !== 'OPTIONS') changes.push(`${request.method()} ${request.url()}`);
  });
  await openAs(page, VIEWER_TOKEN);

  await expect(page.getByTestId('viewer-badge')).toHaveText('viewer');
  await expect(page.getByTestId('daemon-item')).toContainText('viewer');
  await expect(page.getByRole('button', { name: '+ Add connector' })).toHaveCount(0);
  const header = page.getByRole('group', { name: /^Actions for daemon / });
  for (const name of ['Restart all…', 'Refresh all…', 'Retry all now']) await expectRefused(header.getByRole('button', { name }));
  await expectRefused(page.getByRole('button', { name: /^Restart all connectors of / }));
  await expectRefused(page.getByRole('button', { name: /^Refresh all connectors of / }));
  for (const name of [
    'Restart connector MissingAreaFilesMonitor',
    'Refresh connector MissingAreaFilesMonitor',
    'Retry connector MissingAreaFilesMonitor now',
  ]) {
    await expectRefused(page.getByRole('button', { name }));
  }
  await screenshotBothThemes(page, 'viewer-connectors');

  await page.getByRole('button', { name: 'Details of connector MissingAreaFilesMonitor' }).click();
  const details = page.getByTestId('connector-details');
  const detailActions = details.getByRole('group', { name: 'Actions for connector MissingAreaFilesMonitor' });
  for (const name of ['Restart', 'Refresh', 'Test connection', 'Edit…'])
    await expectRefused(detailActions.getByRole('button', { name, exact: true }));
  await expect(detailActions.getByRole('button', { name: 'Retry now', exact: true })).toBeDisabled();
  // Reading goes on: the run history of the viewer's connector is there.
  await expect(details.getByRole('heading', { name: 'Object retries' })).toBeVisible();
  await screenshotBothThemes(page, 'viewer-details');

  // Disabled buttons cannot be clicked into a change, and nothing else sent one.
  await detailActions.getByRole('button', { name: 'Restart', exact: true }).click({ force: true });
  expect(changes).toEqual([]);
});

test('the same console with the operator token offers every action and no viewer tag', async ({ page }) => {
  await openAs(page, daemon.token);
  await expect(page.getByRole('button', { name: '+ Add connector' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Restart connector MissingAreaFilesMonitor' })).toBeEnabled();
  await expect(page.getByTestId('viewer-badge')).toHaveCount(0);
});
