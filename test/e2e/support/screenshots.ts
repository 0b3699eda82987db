// Screenshots of the main views in both colour schemes, kept in test-results/screenshots for people to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT } from './daemon.js';

const DIR = join(ROOT, 'test-results/screenshots');

export async function screenshotBothThemes(page: Page, name: string): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: join(DIR, `${name}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: null });
}
