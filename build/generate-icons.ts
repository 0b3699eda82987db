// Regenerates every icon under build/ from electron/desktop/tray-icons.ts:  npx tsx build/generate-icons.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { iconFiles } from '../electron/desktop/tray-icons.js';

const root = import.meta.dirname;
const files = iconFiles();
for (const file of files) {
  const target = join(root, file.path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, file.png());
}
console.log(`wrote ${files.length} icons under ${root}`);
