// The operator's workbench in Debian Chromium against a real daemon: the catalogue down to a file a files monitor
// catalogued, a connector added from the form (a failed test shown step by step, fixed, tested again, saved,
// running), edited and removed, the run-history chart after a few refreshes, and a held archive previewed and
// approved. Screenshots of each view in light and dark go to test-results/screenshots.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { daemonDirectory, ensureConsoleBuilt, startDaemon, type RunningDaemon } from './support/daemon.js';
import { screenshotBothThemes } from './support/screenshots.js';

let daemon: RunningDaemon;
let landing: string;
/** The files of a connector whose run will hold their archive: more than half of its elements at once. */
let heldFiles: string[];

test.beforeAll(async () => {
  ensureConsoleBuilt();
  const dir = daemonDirectory('workbench');
  landing = join(dir, 'landing-area');
  mkdirSync(join(landing, 'sales'), { recursive: true });
  writeFileSync(join(landing, 'sales', 'orders-2026.csv'), 'id,amount\n1,10\n');
  writeFileSync(join(landing, 'customers.json'), '[]');
  const held = join(dir, 'held-area');
  mkdirSync(held);
  heldFiles = Array.from({ length: 12 }, (_, i) => join(held, `held-${String(i).padStart(2, '0')}.csv`));
  for (const file of heldFiles) writeFileSync(file, 'id\n1\n');
  daemon = await startDaemon(
    {
      serverName: 'workbenchE2E',
      connectors: [
        { connectorName: 'LandingFiles', connectorProvider: 'data-files-monitor', endpointAddress: landing },
        // Refreshed only on request and not watching, so the deletions below reach it as one run.
        {
          connectorName: 'HeldFiles',
          connectorProvider: 'data-files-monitor',
          endpointAddress: held,
          refreshTimeInterval: 0,
          configurationProperties: { watchChanges: false },
        },
      ],
    },
    dir,
  );
});

test.afterAll(async () => {
  await daemon?.stop();
});

let pageErrors: string[] = [];
test.beforeEach(() => {
  pageErrors = [];
});
test.afterEach(() => {
  expect(pageErrors).toEqual([]);
});

function connectorRow(page: Page, name: string): Locator {
  return page.locator(`[data-testid="connector-row"][data-connector="${name}"]`);
}

async function open(page: Page): Promise<void> {
  // An uncaught error blanks the page: each one fails the test (see afterEach).
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(daemon.consoleUrl);
  await expect(connectorRow(page, 'LandingFiles')).toBeVisible();
}

test('browses the catalogue to a file the files monitor catalogued', async ({ page }) => {
  await open(page);
  // The element count on the connector's row comes from the daemon as it catalogues.
  await expect(connectorRow(page, 'LandingFiles').getByTestId('element-count')).toHaveText(/^[1-9][\d,]* elements?$/, {
    timeout: 20_000,
  });
  await page.getByRole('button', { name: 'Details of connector LandingFiles' }).click();
  await page.getByRole('button', { name: 'Show its elements in the catalogue' }).click();
  await expect(page.getByRole('tab', { name: 'Catalogue' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('combobox', { name: 'Connector' })).toHaveValue('LandingFiles');
  // The connector's unfiltered rows include the file too: wait for the filtered answer, and for the catalogue to
  // show it (the previous rows stay, dimmed, until it arrives), or the screenshot catches the reload.
  const filtered = page.waitForResponse((r) => r.url().includes('/metadata-elements?') && r.url().includes('orders'));
  await page.getByRole('searchbox', { name: 'Text' }).fill('orders');
  await filtered;
  await expect(page.getByTestId('catalogue-scroller').locator('..')).toHaveAttribute('aria-busy', 'false');
  const row = page.locator('[data-testid="element-row"]').filter({ hasText: 'orders-2026.csv' });
  await expect(row).toHaveCount(1);
  await expect(page.getByTestId('element-count-total')).toHaveText(/^\d+ elements?$/);
  await row.getByRole('button', { name: /Details of element .*orders-2026\.csv/ }).click();
  const details = page.getByTestId('element-details');
  await expect(details).toContainText('LandingFiles on');
  await expect(details.getByTestId('element-properties')).toBeVisible();
  await screenshotBothThemes(page, 'catalogue');
});

test('adds a connector from the form: a failed test step by step, fixed, tested again, saved, running; then edits and removes it', async ({
  page,
}) => {
  await open(page);
  const missing = join(daemon.dir, 'incoming');
  await page.getByRole('button', { name: '+ Add connector' }).click();
  const form = page.getByRole('dialog', { name: 'Add a connector' });
  await form.getByRole('combobox', { name: 'Kind of connector' }).selectOption('data-files-monitor');
  await form.getByRole('textbox', { name: 'Connector name' }).fill('IncomingFiles');
  await form.getByRole('textbox', { name: /endpoint address/ }).fill(missing);
  await form.getByRole('button', { name: 'Test connection' }).click();
  const steps = form.getByTestId('test-step');
  await expect(steps.first()).toHaveAttribute('data-status', 'FAILED', { timeout: 20_000 });
  await expect(steps.first()).toContainText('What to do:');
  await expect(steps.nth(1)).toHaveAttribute('data-status', 'SKIPPED');
  await screenshotBothThemes(page, 'connector-form-test-failed');

  mkdirSync(missing);
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.locator('[data-testid="test-step"][data-status="PASSED"]')).toHaveCount(await steps.count(), { timeout: 20_000 });
  await screenshotBothThemes(page, 'connector-form-test-passed');
  await form.getByRole('button', { name: 'Add connector' }).click();
  await expect(form).toBeHidden();
  const added = connectorRow(page, 'IncomingFiles');
  await expect(added.getByTestId('connector-status')).toHaveText(/RUNNING|WAITING|REFRESHING/, { timeout: 20_000 });

  // Edit: its endpoint moves to another directory.
  const moved = join(daemon.dir, 'incoming-2');
  mkdirSync(moved);
  await page.getByRole('button', { name: 'Details of connector IncomingFiles' }).click();
  await page.getByTestId('connector-details').getByRole('button', { name: 'Edit…' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit connector IncomingFiles' });
  // The form opens filled from the saved entry.
  await expect(edit.getByRole('combobox', { name: 'Kind of connector' })).toHaveValue('data-files-monitor');
  await expect(edit.getByRole('textbox', { name: /endpoint address/ })).toHaveValue(missing);
  await edit.getByRole('textbox', { name: /endpoint address/ }).fill(moved);
  await edit.getByRole('button', { name: 'Save and restart' }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByTestId('notice').filter({ hasText: 'Connector IncomingFiles saved and restarted' })).toBeVisible();
  await expect(added.getByTestId('connector-status')).toHaveText(/RUNNING|WAITING|REFRESHING/, { timeout: 20_000 });

  // A second console watches the same daemon; the removal made in the first one reaches it by the event stream.
  const other = await page.context().newPage();
  await open(other);
  await expect(connectorRow(other, 'IncomingFiles')).toBeVisible();
  await page.getByTestId('connector-details').getByRole('button', { name: 'Edit…' }).click();
  await edit.getByRole('button', { name: 'Remove connector…' }).click();
  await page.getByRole('dialog', { name: 'Remove connector IncomingFiles?' }).getByRole('button', { name: 'Remove connector' }).click();
  await expect(added).toHaveCount(0, { timeout: 20_000 });
  await expect(connectorRow(other, 'IncomingFiles')).toHaveCount(0, { timeout: 20_000 });
  await expect(connectorRow(other, 'LandingFiles')).toBeVisible();
  await expect(other.getByTestId('connector-count')).toHaveText(/^2 connectors$/);
  await other.close();
});

test('draws the run history after a few refreshes', async ({ page }) => {
  await open(page);
  for (let i = 0; i < 3; i++) {
    await connectorRow(page, 'LandingFiles').getByRole('button', { name: 'Refresh connector LandingFiles' }).click();
    await expect(
      page
        .getByTestId('notice')
        .filter({ hasText: /Refresh LandingFiles: (done|still)/ })
        .first(),
    ).toBeVisible({ timeout: 30_000 });
  }
  await page.getByRole('button', { name: 'Details of connector LandingFiles' }).click();
  const chart = page.getByRole('img', { name: /run history/i });
  await expect(chart).toBeVisible();
  await expect(page.locator('[data-testid="run-history-chart"] .run-bar')).toHaveCount(4, { timeout: 20_000 });
  await screenshotBothThemes(page, 'connector-details');
  await page.getByRole('button', { name: 'Close connector details' }).click();
  // Confirmations fade by themselves.
  await expect(page.getByTestId('notice')).toHaveCount(0, { timeout: 20_000 });
  await screenshotBothThemes(page, 'connectors-1440');
  await page.getByRole('tab', { name: 'Audit log' }).click();
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  await screenshotBothThemes(page, 'audit-log');
  // The daemon's status timeline and the add-daemon form: the other views an operator opens.
  await page.getByText(/^Status timeline/).click();
  await expect(page.getByTestId('status-timeline')).toBeVisible({ timeout: 20_000 });
  await screenshotBothThemes(page, 'status-timeline');
  await page.getByRole('button', { name: '+ Add remote daemon' }).click();
  const form = page.getByRole('dialog');
  await expect(form).toBeVisible();
  await screenshotBothThemes(page, 'daemon-form');
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(form).toBeHidden();
});

test('previews a held archive (how many, which) and archives the elements on "Archive them"', async ({ page, request }) => {
  await open(page);
  const row = connectorRow(page, 'HeldFiles');
  await expect(row.getByTestId('element-count')).toHaveText('12 elements', { timeout: 30_000 });
  for (const file of heldFiles) rmSync(file);
  await row.getByRole('button', { name: 'Refresh connector HeldFiles' }).click();
  await page.getByRole('button', { name: 'Details of connector HeldFiles' }).click();
  const preview = page.getByTestId('held-archive');
  await expect(preview).toBeVisible({ timeout: 30_000 });
  await expect(preview.getByRole('heading')).toHaveText('⚠ 12 elements held back from archiving');
  await expect(preview.getByRole('listitem')).toHaveCount(12);
  await expect(preview).toContainText('held-00.csv');
  await expect(preview).toContainText('held-11.csv');
  // Held means nothing was archived yet.
  await expect(row.getByTestId('element-count')).toHaveText('12 elements');
  await screenshotBothThemes(page, 'held-archive');

  await preview.getByRole('button', { name: 'Archive them' }).click();
  await expect(page.getByTestId('notice').filter({ hasText: 'HeldFiles: 12 elements archived' })).toBeVisible({ timeout: 20_000 });
  await expect(preview).toBeHidden();
  await expect(row.getByTestId('element-count')).toHaveText('0 elements', { timeout: 20_000 });
  const base = `${daemon.url}/servers/${daemon.serverName}/open-metadata/integration-daemon/users/${daemon.userId}`;
  const archived = await request.get(`${base}/metadata-elements?connectorName=HeldFiles&archived=only&count=true`, {
    headers: { Authorization: `Bearer ${daemon.token}` },
  });
  expect(((await archived.json()) as { totalCount: number }).totalCount).toBe(12);

  // The daemon page's status timeline reads the daemon's history.
  await page.getByText('Status timeline (last 6 hours)').click();
  await expect(page.getByTestId('status-timeline')).toBeVisible({ timeout: 20_000 });
  await screenshotBothThemes(page, 'status-timeline');
});
