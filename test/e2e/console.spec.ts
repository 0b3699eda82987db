// The console in Debian Chromium against real daemons (child processes running `integration-daemon serve`).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { daemonDirectory, ensureConsoleBuilt, startDaemon, type RunningDaemon } from './support/daemon.js';
import { screenshotBothThemes } from './support/screenshots.js';

const MISSING_DIRECTORY_MESSAGE = 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001';

let main: RunningDaemon;
let missingDirectory: string;

test.beforeAll(async () => {
  ensureConsoleBuilt();
  const dir = daemonDirectory('main');
  const landing = join(dir, 'landing-area');
  mkdirSync(landing);
  missingDirectory = join(dir, 'not-yet-created');
  main = await startDaemon(
    {
      serverName: 'consoleE2E',
      connectors: [
        { connectorName: 'LandingAreaFilesMonitor', connectorProvider: 'data-files-monitor', endpointAddress: landing },
        { connectorName: 'LandingAreaFolderMonitor', connectorProvider: 'data-folder-monitor', endpointAddress: landing },
        // A long first interval: the countdown is watched with Playwright's clock, not waited for.
        {
          connectorName: 'MissingAreaFilesMonitor',
          connectorProvider: 'data-files-monitor',
          endpointAddress: missingDirectory,
          retry: { initialInterval: 'PT10M', retryLimit: 5 },
        },
      ],
    },
    dir,
  );
});

test.afterAll(async () => {
  await main?.stop();
});

function connectorRow(page: Page, name: string): Locator {
  return page.locator(`[data-testid="connector-row"][data-connector="${name}"]`);
}

async function open(page: Page): Promise<void> {
  // The daemon serves the console with a strict CSP; any violation (an inline script or style) is collected.
  await page.addInitScript(() => {
    const violations: string[] = [];
    Object.assign(window, { cspViolations: violations });
    document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(main.consoleUrl);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await expect(connectorRow(page, 'MissingAreaFilesMonitor')).toBeVisible();
}

test('shows the connectors with their statuses, error source and message', async ({ page }) => {
  await open(page);
  // The token left the address bar as soon as the page read it.
  expect(new URL(page.url()).hash).toBe('');

  const missing = connectorRow(page, 'MissingAreaFilesMonitor');
  await expect(missing.getByTestId('connector-status')).toHaveText(/RETRYING/);
  await expect(missing.getByTestId('error-source')).toHaveText('cause: third-party technology');
  await expect(missing).toContainText(MISSING_DIRECTORY_MESSAGE);
  await expect(missing.getByTestId('retry-countdown')).toHaveText(/^retry 1 of 5 in \d\d:\d\d$/);
  await expect(connectorRow(page, 'LandingAreaFilesMonitor').getByTestId('connector-status')).toHaveText(/WAITING|RUNNING|REFRESHING/);

  await missing.getByRole('button', { name: 'Show message and fix' }).click();
  await expect(missing.getByText('What to do:')).toBeVisible();

  const item = page.getByTestId('daemon-item');
  await expect(item).toHaveAttribute('data-health', 'retrying');
  await expect(item).toContainText('1 retrying');
  await screenshotBothThemes(page, 'connectors');

  await page.getByRole('button', { name: 'Details of connector LandingAreaFilesMonitor' }).click();
  const details = page.getByTestId('connector-details');
  await expect(details.getByRole('heading', { name: 'LandingAreaFilesMonitor' })).toBeFocused();
  await expect(details.getByTestId('run-history')).toContainText(/SUCCEEDED/);
  await screenshotBothThemes(page, 'details');
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
});

test('is operable from the keyboard alone', async ({ page }) => {
  await open(page);
  const target = page.getByRole('button', { name: 'Refresh connector LandingAreaFolderMonitor' });
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await target.evaluate((el) => el === document.activeElement);
  }
  expect(reached).toBe(true);
  await page.keyboard.press('Enter');
  // "requested" at once, replaced in place by what the refresh came to.
  await expect(
    page.getByTestId('notice').filter({ hasText: /^Refresh LandingAreaFolderMonitor: (requested|done, now \w+)/ }),
  ).toBeVisible();

  // A whole-daemon refresh asks first; Escape cancels it without side effects.
  await page.getByRole('button', { name: 'Refresh all…' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: /Refresh every connector/ });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('notice').filter({ hasText: 'Refresh all' })).toHaveCount(0);

  // The theme follows the system until the operator picks one.
  const theme = page.getByRole('button', { name: /^Theme:/ });
  await theme.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await theme.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await theme.click();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/);

  await page.getByRole('tab', { name: 'Connectors' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Catalogue' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Audit log' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Audit log' })).toHaveAttribute('aria-selected', 'true');
});

test('asks for the token when the link has none, and lets a wrong one be corrected', async ({ page }) => {
  await page.goto(`${main.url}/console/`);
  await expect(page.getByRole('heading', { name: 'Connect to consoleE2E' })).toBeVisible();
  await screenshotBothThemes(page, 'token-prompt');
  await page.getByLabel('Bearer token').fill('not-the-right-token-at-all');
  await page.getByRole('button', { name: 'Connect' }).click();
  const item = page.getByTestId('daemon-item');
  await expect(item).toHaveAttribute('data-health', 'disconnected');
  await expect(page.getByRole('alert')).toContainText(/token/i);

  await page.getByRole('button', { name: 'Token…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Token of this daemon' });
  await dialog.getByLabel(/Bearer token/).fill(main.token);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(item).toHaveAttribute('data-health', /retrying|healthy/);
  await expect(connectorRow(page, 'LandingAreaFilesMonitor')).toBeVisible();
});

test('counts a retry down on the local clock, corrected by the daemon clock', async ({ page }) => {
  await page.clock.install();
  await open(page);
  const countdown = connectorRow(page, 'MissingAreaFilesMonitor').getByTestId('retry-countdown');
  await expect(countdown).toHaveText(/^retry 1 of 5 in \d\d:\d\d$/);
  const seconds = async () => {
    const m = /in (\d\d):(\d\d)$/.exec((await countdown.textContent()) ?? '');
    if (!m) throw new Error('no countdown');
    return Number(m[1]) * 60 + Number(m[2]);
  };
  const before = await seconds();
  expect(before).toBeGreaterThan(500);
  expect(before).toBeLessThanOrEqual(600);
  await page.clock.runFor(10_000);
  const after = await seconds();
  expect(before - after).toBeGreaterThanOrEqual(9);
  expect(before - after).toBeLessThanOrEqual(11);
  // Only the countdown cells re-render on a tick: the row around them is the same element.
  const row = await connectorRow(page, 'MissingAreaFilesMonitor').elementHandle();
  await page.clock.runFor(3_000);
  expect(await connectorRow(page, 'MissingAreaFilesMonitor').evaluate((el, old) => el === old, row)).toBe(true);
});

test('restarts a failed connector with one click and sees it run', async ({ page }) => {
  await open(page);
  const row = connectorRow(page, 'MissingAreaFilesMonitor');
  await expect(row.getByTestId('connector-status')).toHaveText(/RETRYING/);
  mkdirSync(missingDirectory, { recursive: true });
  await row.getByRole('button', { name: 'Restart connector MissingAreaFilesMonitor' }).click();
  await expect(row.getByTestId('connector-status')).toHaveText(/WAITING|RUNNING|REFRESHING/, { timeout: 20_000 });
  await expect(row.getByTestId('error-source')).toHaveCount(0);
  await expect(page.getByTestId('announcer')).toContainText('MissingAreaFilesMonitor recovered');
  await expect(page.getByTestId('daemon-item')).toHaveAttribute('data-health', 'healthy');
});

test('filters the live audit log by severity, connector and text', async ({ page }) => {
  await open(page);
  await page.getByRole('tab', { name: 'Audit log' }).click();
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toBeVisible();
  const all = await rows.count();

  await page.getByLabel('Connector').selectOption('LandingAreaFolderMonitor');
  await expect(rows.first()).toBeVisible();
  for (const name of await rows.locator('td:nth-child(4)').allTextContents()) expect(name).toBe('LandingAreaFolderMonitor');

  await page.getByLabel('Connector').selectOption('');
  await page.getByLabel('Severity').selectOption('problems');
  for (const severity of await rows.locator('td:nth-child(2)').allTextContents()) expect(['Error', 'Exception']).toContain(severity);

  await page.getByLabel('Severity').selectOption('');
  await page.getByLabel('Text').fill(MISSING_DIRECTORY_MESSAGE);
  await expect(rows.first()).toContainText(MISSING_DIRECTORY_MESSAGE);
  const filtered = await rows.count();
  expect(filtered).toBeGreaterThan(0);
  expect(filtered).toBeLessThan(all);
  await screenshotBothThemes(page, 'audit-log');
});

test('adds a second daemon through the form and shows it disconnected when its process stops', async ({ page }) => {
  const dir = daemonDirectory('second');
  const area = join(dir, 'area');
  mkdirSync(area);
  const second = await startDaemon(
    {
      serverName: 'secondDaemon',
      connectors: [{ connectorName: 'SecondFilesMonitor', connectorProvider: 'data-files-monitor', endpointAddress: area }],
    },
    dir,
  );
  try {
    await open(page);
    await page.getByRole('button', { name: '+ Add remote daemon' }).click();
    const form = page.getByRole('dialog', { name: 'Add a remote daemon' });
    await form.getByLabel('Platform URL').fill(`${second.url}/servers/secondDaemon`);
    await form.getByLabel('Server name').fill(second.serverName);
    await form.getByLabel('User id').fill('e2eoperator');
    await form.getByLabel('Bearer token').fill(second.token);
    await form.getByRole('button', { name: 'Add daemon' }).click();
    await expect(form.getByText(/INTEGRATION-CONSOLE-400-005/)).toBeVisible();
    await screenshotBothThemes(page, 'add-daemon-form');
    await form.getByLabel('Platform URL').fill(second.url);
    await form.getByLabel('Label (optional)').fill('Second daemon');
    await form.getByRole('button', { name: 'Add daemon' }).click();
    await expect(form).toBeHidden();

    const item = page.getByTestId('daemon-item').filter({ hasText: 'Second daemon' });
    await expect(item).toHaveAttribute('data-health', 'healthy');
    await expect(connectorRow(page, 'SecondFilesMonitor')).toBeVisible();

    second.process.kill('SIGKILL');
    await expect(item).toHaveAttribute('data-health', 'disconnected', { timeout: 15_000 });
    await expect(item.getByTestId('reconnect-countdown')).toHaveText(/reconnecting( in \d\d:\d\d|…)/);
    await expect(page.getByTestId('stale-note')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Second daemon');
    await expect(page.getByRole('button', { name: 'Restart connector SecondFilesMonitor' })).toBeDisabled();
    await screenshotBothThemes(page, 'disconnected');

    // The list survives a reload (localStorage); the token does not outlive the tab (sessionStorage).
    await page.reload();
    await expect(page.getByTestId('daemon-item').filter({ hasText: 'Second daemon' })).toBeVisible();
    const stored = await page.evaluate(() => window.localStorage.getItem('integration-console.daemons') ?? '');
    expect(stored).toContain('Second daemon');
    expect(stored).not.toContain(second.token);

    // Edit, then remove it.
    await page.getByTestId('daemon-item').filter({ hasText: 'Second daemon' }).click();
    await page.getByRole('button', { name: 'Edit daemon…' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Second daemon' });
    await edit.getByLabel('Label (optional)').fill('Renamed daemon');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('daemon-item').filter({ hasText: 'Renamed daemon' })).toBeVisible();
    await page.getByRole('button', { name: 'Edit daemon…' }).click();
    await page.getByRole('dialog', { name: 'Edit Renamed daemon' }).getByRole('button', { name: 'Remove daemon' }).click();
    await page.getByRole('dialog', { name: 'Remove Renamed daemon?' }).getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByTestId('daemon-item')).toHaveCount(1);
  } finally {
    await second.stop();
  }
});
