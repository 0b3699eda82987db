// The generated tray and application icons: valid PNGs, one per state and theme, matching the files in build/.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { allIconSpecs, crc32, encodePng, iconFiles, renderIcon, trayIconFileName } from '../../electron/desktop/tray-icons.js';
import { HEALTH_LEVELS } from '../../shared/logic/aggregate.js';

const buildDir = resolve(import.meta.dirname, '../../build');

/** A minimal PNG reader for the files we write (8-bit RGBA, filter 0), checking every chunk's CRC. */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(png.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 6]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    rgba.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  }
  return { width, height, rgba };
}

describe('tray icons', () => {
  it('computes CRC-32 as PNG defines it', () => {
    expect(crc32(Buffer.from('IEND'))).toBe(0xae426082);
  });

  it('round-trips pixels through the PNG encoder', () => {
    const pixels = renderIcon({ level: 'failed', snoozed: false, theme: 'dark' }, 16);
    const decoded = decodePng(encodePng(16, 16, pixels));
    expect(decoded.width).toBe(16);
    expect(decoded.rgba).toEqual(pixels);
  });

  it('gives every level its own shape, not only its own colour', () => {
    const masks = HEALTH_LEVELS.map((level) => {
      const px = renderIcon({ level, snoozed: false, theme: 'dark' }, 32);
      return Array.from({ length: 32 * 32 }, (_, i) => ((px[i * 4 + 3] as number) > 128 ? 1 : 0)).join('');
    });
    expect(new Set(masks).size).toBe(HEALTH_LEVELS.length);
  });

  it('marks snoozed icons with an emblem and draws dark and light variants differently', () => {
    const plain = renderIcon({ level: 'healthy', snoozed: false, theme: 'dark' }, 32);
    const snoozed = renderIcon({ level: 'healthy', snoozed: true, theme: 'dark' }, 32);
    const light = renderIcon({ level: 'healthy', snoozed: false, theme: 'light' }, 32);
    expect(snoozed).not.toEqual(plain);
    expect(light).not.toEqual(plain);
  });

  it('has every generated icon in build/ matching the generator (run `npx tsx build/generate-icons.ts` after changes)', () => {
    const files = iconFiles();
    expect(files.length).toBe(allIconSpecs().length * 2 + 8);
    for (const file of files) {
      const path = join(buildDir, file.path);
      expect(existsSync(path), path).toBe(true);
      expect(readFileSync(path).equals(file.png()), `${file.path} is out of date`).toBe(true);
    }
    const big = decodePng(readFileSync(join(buildDir, 'icon.png')));
    expect([big.width, big.height]).toEqual([512, 512]);
    expect(trayIconFileName({ level: 'retrying', snoozed: true, theme: 'light' }, 2)).toBe('tray-retrying-snoozed-light@2x.png');
  });
});
