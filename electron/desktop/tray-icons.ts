// Draws the tray and application icons and encodes them as PNG with nothing but zlib, so the icons are produced
// from code (build/generate-icons.ts) instead of being binary blobs nobody can regenerate. Each health level has
// its own shape as well as its own colour (WCAG 1.4.1: never colour alone), in a variant for dark and for light
// panels, and a snoozed variant with a pause emblem.
import { deflateSync } from 'node:zlib';
import { HEALTH_LEVELS, type HealthLevel } from '../../shared/logic/aggregate.js';

export type PanelTheme = 'dark' | 'light';
export const PANEL_THEMES: readonly PanelTheme[] = ['dark', 'light'];
/** Tray sizes: 16 px, and 32 px as the @2x representation Electron picks on high-density screens. */
export const TRAY_SIZES = [16, 32] as const;

export interface IconSpec {
  level: HealthLevel;
  snoozed: boolean;
  theme: PanelTheme;
}

/** File name without directory, e.g. `tray-failed-snoozed-dark.png`; `scale` 2 gives the `@2x` name. */
export function trayIconFileName(spec: IconSpec, scale: 1 | 2 = 1): string {
  return `tray-${spec.level}${spec.snoozed ? '-snoozed' : ''}-${spec.theme}${scale === 2 ? '@2x' : ''}.png`;
}

export function allIconSpecs(): IconSpec[] {
  const out: IconSpec[] = [];
  for (const level of HEALTH_LEVELS)
    for (const snoozed of [false, true]) for (const theme of PANEL_THEMES) out.push({ level, snoozed, theme });
  return out;
}

type Rgb = readonly [number, number, number];

/** Fill colours chosen for contrast against the panel (≥ 3:1 for graphics), darker on light panels. */
const FILL: Record<PanelTheme, Record<HealthLevel, Rgb>> = {
  dark: { healthy: [88, 214, 120], disconnected: [190, 190, 190], retrying: [255, 196, 64], failed: [255, 99, 92] },
  light: { healthy: [22, 128, 52], disconnected: [96, 96, 96], retrying: [176, 104, 0], failed: [196, 30, 30] },
};
const OUTLINE: Record<PanelTheme, Rgb> = { dark: [255, 255, 255], light: [20, 20, 20] };

/** Signed-distance-like inside tests in unit coordinates (centre 0,0, radius 1). */
type Shape = (x: number, y: number) => 'fill' | 'outline' | 'none';

const STROKE = 0.16;

function circle(x: number, y: number): 'fill' | 'outline' | 'none' {
  const r = Math.hypot(x, y);
  if (r > 0.92) return 'none';
  return r > 0.92 - STROKE ? 'outline' : 'fill';
}

/** Disconnected: a hollow ring with a gap at the top, like a broken link. */
function brokenRing(x: number, y: number): 'fill' | 'outline' | 'none' {
  const r = Math.hypot(x, y);
  if (r > 0.92 || r < 0.5) return 'none';
  if (Math.abs(x) < 0.18 && y < 0) return 'none';
  return r > 0.92 - STROKE || r < 0.5 + STROKE ? 'outline' : 'fill';
}

/** Retrying: an upward triangle (a warning that will resolve itself). */
function triangle(x: number, y: number): 'fill' | 'outline' | 'none' {
  // Edges of the triangle with apex (0,-0.95) and base y = 0.8, half-width 1.
  const top = -0.95;
  const base = 0.8;
  if (y > base || y < top) return 'none';
  const halfWidth = ((y - top) / (base - top)) * 1.0;
  if (Math.abs(x) > halfWidth) return 'none';
  const edgeDistance = Math.min(base - y, (halfWidth - Math.abs(x)) * 0.87);
  return edgeDistance < STROKE ? 'outline' : 'fill';
}

/** Failed: an octagon (a stop sign) with a white bar across it. */
function octagon(x: number, y: number): 'fill' | 'outline' | 'none' {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const d = Math.max(ax, ay, (ax + ay) / Math.SQRT2);
  if (d > 0.92) return 'none';
  if (d > 0.92 - STROKE) return 'outline';
  if (ay < 0.14 && ax < 0.55) return 'outline';
  return 'fill';
}

const SHAPES: Record<HealthLevel, Shape> = { healthy: circle, disconnected: brokenRing, retrying: triangle, failed: octagon };

/** Snoozed: two pause bars in the lower-right corner, drawn over a cut-out so they read on any shape. */
function pauseEmblem(x: number, y: number): 'bar' | 'halo' | 'none' {
  const inBox = (bx: number, by: number, pad: number) => x > bx - pad && x < bx + 0.16 + pad && y > by - pad && y < by + 0.62 + pad;
  if (inBox(0.42, 0.36, 0) || inBox(0.72, 0.36, 0)) return 'bar';
  if (x > 0.3 && y > 0.24) return 'halo';
  return 'none';
}

/** RGBA pixels, 4× supersampled for smooth edges. */
export function renderIcon(spec: IconSpec, size: number): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const fill = FILL[spec.theme][spec.level];
  const outline = OUTLINE[spec.theme];
  const shape = SHAPES[spec.level];
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = ((px + (sx + 0.5) / samples) / size) * 2 - 1;
          const y = ((py + (sy + 0.5) / samples) / size) * 2 - 1;
          let colour: Rgb | undefined;
          const emblem = spec.snoozed ? pauseEmblem(x, y) : 'none';
          if (emblem === 'bar') colour = outline;
          else if (emblem === 'none') {
            const part = shape(x, y);
            colour = part === 'fill' ? fill : part === 'outline' ? outline : undefined;
          }
          if (colour) {
            r += colour[0];
            g += colour[1];
            b += colour[2];
            a++;
          }
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        pixels[i] = Math.round(r / a);
        pixels[i + 1] = Math.round(g / a);
        pixels[i + 2] = Math.round(b / a);
        pixels[i + 3] = Math.round((a / (samples * samples)) * 255);
      }
    }
  }
  return pixels;
}

/** The application icon (installers, window, dock): the healthy circle on a rounded dark tile. */
export function renderAppIcon(size: number): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const tile: Rgb = [32, 44, 64];
  const fill = FILL.dark.healthy;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = ((px + 0.5) / size) * 2 - 1;
      const y = ((py + 0.5) / size) * 2 - 1;
      const corner = Math.hypot(Math.max(Math.abs(x) - 0.7, 0), Math.max(Math.abs(y) - 0.7, 0));
      if (corner > 0.25) continue;
      const i = (py * size + px) * 4;
      const inner = circle(x / 0.6, y / 0.6);
      const colour = inner === 'fill' ? fill : inner === 'outline' ? OUTLINE.dark : tile;
      pixels[i] = colour[0];
      pixels[i + 1] = colour[1];
      pixels[i + 2] = colour[2];
      pixels[i + 3] = 255;
    }
  }
  return pixels;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** PNG, 8-bit RGBA, no interlace, filter type 0 on every row. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 6;
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** Every file the generator writes, relative to `build/`: tray icons plus the application icon set. */
export function iconFiles(): { path: string; png: () => Buffer }[] {
  const out: { path: string; png: () => Buffer }[] = [];
  for (const spec of allIconSpecs()) {
    for (const [scale, size] of [
      [1, TRAY_SIZES[0]],
      [2, TRAY_SIZES[1]],
    ] as const) {
      out.push({ path: `icons/tray/${trayIconFileName(spec, scale)}`, png: () => encodePng(size, size, renderIcon(spec, size)) });
    }
  }
  for (const size of [16, 32, 48, 64, 128, 256, 512]) {
    out.push({ path: `icons/${size}x${size}.png`, png: () => encodePng(size, size, renderAppIcon(size)) });
  }
  out.push({ path: 'icon.png', png: () => encodePng(512, 512, renderAppIcon(512)) });
  return out;
}
