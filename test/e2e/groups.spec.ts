// Integration groups from the console in Debian Chromium against a real daemon with a SQLite metadata server: an
// operator creates the group the daemon's configuration names, adds a files monitor to it from the connector form,
// sees it running with its group tag, removes it from the group and deletes the group. Screenshots of the header
// and the form in light and dark go to test-results/screenshots.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { daemonDirectory, ensureConsoleBuilt, startDaemon, type RunningDaemon } from './support/daemon.js';
import { screenshotBothThemes } from './support/screenshots.js';

const GROUP = 'landing-zone';
let daemon: RunningDaemon;
let inbox: string;

test.beforeAll(async () => {
  ensureConsoleBuilt();
  const dir = daemonDirectory('groups');
  const plain = join(dir, 'plain');
  inbox = join(dir, 'inbox');
  mkdirSync(plain);
  mkdirSync(inbox);
  writeFileSync(join(inbox, 'orders.csv'), 'id\n1\n');
  daemon = await startDaemon(
    {
      serverName: 'groupsE2E',
      connectors: [{ connectorName: 'PlainFiles', connectorProvider: 'data-files-monitor', endpointAddress: plain }],
      integrationGroups: [GROUP],
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

test('creates a group, adds a files monitor to it from the form, sees it running tagged, removes it, deletes the group', async ({
  page,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(daemon.consoleUrl);
  await expect(connectorRow(page, 'PlainFiles')).toBeVisible();
  const group = page.locator(`[data-testid="integration-group"][data-group="${GROUP}"]`);
  // Named in the configuration but not defined yet: assigned, and the tooltip says why.
  await expect(group).toContainText(`${GROUP} ASSIGNED`);

  // A name the daemon refuses shows its problem by the field, in the daemon's words.
  await page.getByRole('button', { name: 'New integration group…' }).click();
  const create = page.getByRole('dialog', { name: 'New integration group' });
  await create.getByRole('textbox', { name: 'Group name' }).fill('no spaces allowed');
  await create.getByRole('button', { name: 'Create group' }).click();
  await expect(create.getByRole('textbox', { name: 'Group name' })).toHaveAttribute('aria-invalid', 'true');
  await expect(create.locator('.field-error').first()).toContainText('must be');
  await screenshotBothThemes(page, 'group-form-refused');
  await create.getByRole('textbox', { name: 'Group name' }).fill(GROUP);
  await create.getByRole('textbox', { name: 'Description' }).fill('Files dropped by partners');
  await create.getByRole('button', { name: 'Create group' }).click();
  await expect(create).toBeHidden();
  await expect(page.getByTestId('notice').filter({ hasText: `Integration group ${GROUP} created` })).toBeVisible();

  await page.getByRole('button', { name: `Add connector to group ${GROUP}` }).click();
  const form = page.getByRole('dialog', { name: `Add a connector to integration group ${GROUP}` });
  await form.getByRole('combobox', { name: 'Kind of connector' }).selectOption('data-files-monitor');
  await form.getByRole('textbox', { name: 'Connector name' }).fill('InboxFiles');
  await form.getByRole('textbox', { name: /endpoint address/ }).fill(inbox);
  await form.getByRole('button', { name: 'Test connection' }).click();
  const steps = form.getByTestId('test-step');
  await expect(form.locator('[data-testid="test-step"][data-status="PASSED"]')).toHaveCount(await steps.count(), { timeout: 20_000 });
  await screenshotBothThemes(page, 'group-connector-form');
  await form.getByRole('button', { name: 'Add to group' }).click();
  await expect(form).toBeHidden();

  // Picked up within the daemon's 2 s poll: running, tagged with its group, and the group RUNNING.
  const row = connectorRow(page, 'InboxFiles');
  await expect(row.getByTestId('connector-status')).toHaveText(/RUNNING|WAITING|REFRESHING/, { timeout: 20_000 });
  await expect(row.getByTestId('group-tag')).toHaveText(`group ${GROUP}`);
  await expect(group).toContainText(`${GROUP} RUNNING (1 connector)`, { timeout: 20_000 });
  await expect(page.getByTestId('notice')).toHaveCount(0, { timeout: 20_000 });
  await screenshotBothThemes(page, 'group-running');

  await page.getByRole('button', { name: 'Details of connector InboxFiles' }).click();
  await page.getByTestId('connector-details').getByRole('button', { name: 'Remove from group…' }).click();
  await page
    .getByRole('dialog', { name: `Remove connector InboxFiles from integration group ${GROUP}?` })
    .getByRole('button', { name: 'Remove from group' })
    .click();
  await expect(row).toHaveCount(0, { timeout: 20_000 });
  await expect(connectorRow(page, 'PlainFiles')).toBeVisible();

  await page.getByRole('button', { name: `Delete group ${GROUP}` }).click();
  await page
    .getByRole('dialog', { name: `Delete integration group ${GROUP}?` })
    .getByRole('button', { name: 'Delete group' })
    .click();
  await expect(page.getByTestId('notice').filter({ hasText: `Integration group ${GROUP} deleted` })).toBeVisible();
  await expect(group).toContainText(`${GROUP} ASSIGNED`, { timeout: 20_000 });
  expect(pageErrors).toEqual([]);
});
