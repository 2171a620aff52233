// Draws build/icon.png (512x512), the app icon electron-builder packages: a phone with a check mark on "bleu France".
// Run with `npx tsx build/make-icon.ts`; drawn in code so the icon needs no design tool or download.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const SIZE = 512;
/** Samples per pixel side: 4x4 supersampling is enough for smooth edges at this size. */
const SAMPLES = 4;

type Rgb = readonly [number, number, number];
const BLUE: Rgb = [0, 0, 145];
const WHITE: Rgb = [255, 255, 255];
const GREEN: Rgb = [24, 117, 60];

/** Signed distance to a rounded rectangle centred on (cx, cy): negative inside. */
function roundedRect(x: number, y: number, cx: number, cy: number, halfW: number, halfH: number, radius: number): number {
  const qx = Math.abs(x - cx) - halfW + radius;
  const qy = Math.abs(y - cy) - halfH + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

/** Distance to the segment from (ax, ay) to (bx, by). */
function segment(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}

/** The colour at a point, or null outside the icon (transparent). */
function colourAt(x: number, y: number): Rgb | null {
  if (roundedRect(x, y, 256, 256, 240, 240, 96) > 0) return null;
  // The check mark sits on a badge at the phone's lower right.
  if (Math.hypot(x - 350, y - 360) < 86) {
    const check = Math.min(segment(x, y, 306, 362, 338, 394), segment(x, y, 338, 394, 396, 330));
    return check < 14 ? WHITE : GREEN;
  }
  const body = roundedRect(x, y, 230, 256, 110, 180, 34);
  const screen = roundedRect(x, y, 230, 244, 84, 138, 8);
  // The phone's frame, with its home button left in the background colour.
  if (body <= 0 && screen > 0) return Math.hypot(x - 230, y - 410) < 14 ? BLUE : WHITE;
  // Six-digit code on the screen: three bars, as an authenticator app shows it.
  for (const row of [190, 244, 298]) {
    if (roundedRect(x, y, 230, row, 56, 12, 12) <= 0) return WHITE;
  }
  return BLUE;
}

export function drawIcon(): Buffer {
  const png = new PNG({ width: SIZE, height: SIZE });
  for (let py = 0; py < SIZE; py += 1) {
    for (let px = 0; px < SIZE; px += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < SAMPLES; sy += 1) {
        for (let sx = 0; sx < SAMPLES; sx += 1) {
          const colour = colourAt(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
          if (colour === null) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered += 1;
        }
      }
      const at = (py * SIZE + px) * 4;
      const n = SAMPLES * SAMPLES;
      png.data[at] = covered ? Math.round(r / covered) : 0;
      png.data[at + 1] = covered ? Math.round(g / covered) : 0;
      png.data[at + 2] = covered ? Math.round(b / covered) : 0;
      png.data[at + 3] = Math.round((255 * covered) / n);
    }
  }
  return PNG.sync.write(png);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(fileURLToPath(new URL('./icon.png', import.meta.url)), drawIcon());
  console.log('wrote build/icon.png');
}
