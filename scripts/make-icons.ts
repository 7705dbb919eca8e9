/**
 * Draws the app's icons into assets/ with nothing but node:zlib (PNG chunks written here):
 *
 *   tray-<state>.png, tray-<state>@2x.png   16 and 32 px, state idle | syncing | error | paused
 *   tray-<state>Template.png (+ @2x)         the same for the macOS menu bar: black shapes
 *                                            on transparent ("Template" in the name makes
 *                                            macOS tint them for a light or dark menu bar)
 *   icon.png                                 512 px app icon (Linux, macOS, installers)
 *   icon.ico                                 Windows icon: PNGs of 16...256 px in one ICO
 *
 * The design: a rounded square with two opposing sync arrows. Idle is blue; syncing a
 * lighter blue with a dot in the middle; error adds a red badge with "!"; paused is grey
 * with a pause badge. Output is deterministic; test/packaging/icons.test.ts checks that the
 * committed files are what this script draws.
 *
 * Run: node scripts/make-icons.ts   (Node >= 22.18; `npm run` puts Node 24 first on PATH)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

export const trayIconStates = ['idle', 'syncing', 'error', 'paused'] as const;
export type TrayIconState = (typeof trayIconStates)[number];

type Rgba = readonly [r: number, g: number, b: number, a: number];
/** Whether the point (x, y) of the unit square (y pointing down) is inside a shape. */
type Shape = (x: number, y: number) => boolean;
interface Layer {
  shape: Shape;
  /** Colour at (x, y), straight alpha in 0..1. */
  paint: (x: number, y: number) => Rgba;
}

const hex = (value: string, alpha = 1): Rgba => {
  const n = Number.parseInt(value.replace('#', ''), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255, alpha];
};
const solid = (color: Rgba) => () => color;

const colors = {
  blue: hex('#2563eb'),
  blueLight: hex('#3b82f6'),
  blueDark: hex('#1d4ed8'),
  syncing: hex('#0284c7'),
  grey: hex('#6b7280'),
  greyDark: hex('#374151'),
  red: hex('#dc2626'),
  white: hex('#ffffff'),
};

// ---- shapes -------------------------------------------------------------------------

function roundedSquare(margin: number, radius: number): Shape {
  const lo = margin;
  const hi = 1 - margin;
  return (x, y) => {
    if (x < lo || x > hi || y < lo || y > hi) return false;
    const cx = Math.min(Math.max(x, lo + radius), hi - radius);
    const cy = Math.min(Math.max(y, lo + radius), hi - radius);
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
  };
}

function disc(cx: number, cy: number, r: number): Shape {
  return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** A rectangle with fully rounded ends (a stadium), axis-aligned. */
function capsule(x0: number, y0: number, x1: number, y1: number): Shape {
  const r = Math.min(x1 - x0, y1 - y0) / 2;
  return roundedRect(x0, y0, x1, y1, r);
}

function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): Shape {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
}

function triangle(a: Point, b: Point, c: Point): Shape {
  const side = (p: Point, q: Point, x: number, y: number) =>
    (q.x - p.x) * (y - p.y) - (q.y - p.y) * (x - p.x);
  return (x, y) => {
    const d1 = side(a, b, x, y);
    const d2 = side(b, c, x, y);
    const d3 = side(c, a, x, y);
    const hasNeg = d1 < 0 || d2 < 0 || d3 < 0;
    const hasPos = d1 > 0 || d2 > 0 || d3 > 0;
    return !(hasNeg && hasPos);
  };
}

interface Point {
  x: number;
  y: number;
}

const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((shape) => shape(x, y));

const deg = (d: number) => (d * Math.PI) / 180;

/**
 * A clockwise arc of the circle (cx, cy, r), `width` thick, from `startDeg` (maths angle,
 * counter-clockwise from 3 o'clock) through `sweepDeg` degrees, with an arrowhead at its
 * end pointing on, clockwise.
 */
function arcArrow(c: Point, r: number, width: number, startDeg: number, sweepDeg: number): Shape {
  const start = deg(startDeg);
  const sweep = deg(sweepDeg);
  const end = start - sweep;
  const arc: Shape = (x, y) => {
    const dx = x - c.x;
    const dy = c.y - y;
    if (Math.abs(Math.hypot(dx, dy) - r) > width / 2) return false;
    const angle = Math.atan2(dy, dx);
    const fromStart = (((start - angle) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
    return fromStart <= sweep;
  };
  // End point, the clockwise tangent there (screen coordinates) and the outward normal.
  const e = { x: c.x + r * Math.cos(end), y: c.y - r * Math.sin(end) };
  const t = { x: Math.sin(end), y: Math.cos(end) };
  const n = { x: Math.cos(end), y: -Math.sin(end) };
  const half = width * 1.35;
  const length = width * 1.6;
  const head = triangle(
    { x: e.x + n.x * half, y: e.y + n.y * half },
    { x: e.x - n.x * half, y: e.y - n.y * half },
    { x: e.x + t.x * length, y: e.y + t.y * length },
  );
  return union(arc, head);
}

// ---- icon designs -------------------------------------------------------------------

interface Design {
  /** Pixel size the design is drawn for: small sizes get bolder strokes. */
  size: number;
  state: TrayIconState;
  /** Gap between the rounded square and the image edge, as a share of the side. */
  margin: number;
  gradient: boolean;
}

function layersFor(design: Design): Layer[] {
  const { size, state, margin } = design;
  const small = size <= 24;
  const background =
    state === 'paused' ? colors.grey : state === 'syncing' ? colors.syncing : colors.blue;
  const layers: Layer[] = [];

  layers.push({
    shape: roundedSquare(margin, 0.22 - margin / 2),
    paint: design.gradient
      ? (_x, y) => mix(colors.blueLight, colors.blueDark, y)
      : solid(background),
  });

  const hasBadge = state === 'error' || state === 'paused';
  // With a badge the arrows move up-left a little and shrink, to leave it room.
  const c = hasBadge ? { x: 0.44, y: 0.44 } : { x: 0.5, y: 0.5 };
  const r = hasBadge ? 0.22 : small ? 0.26 : 0.25;
  const stroke = small ? 0.12 : size <= 48 ? 0.1 : 0.085;
  layers.push({
    shape: union(arcArrow(c, r, stroke, 165, 125), arcArrow(c, r, stroke, 345, 125)),
    paint: solid(colors.white),
  });
  if (state === 'syncing') {
    layers.push({ shape: disc(c.x, c.y, 0.07), paint: solid(colors.white) });
  }

  if (hasBadge) {
    const b = { x: 0.73, y: 0.73 };
    const br = small ? 0.25 : 0.23;
    const ring = small ? 0.05 : 0.035;
    // A white ring separates the badge from the arrows.
    layers.push({ shape: disc(b.x, b.y, br + ring), paint: solid(colors.white) });
    layers.push({
      shape: disc(b.x, b.y, br),
      paint: solid(state === 'error' ? colors.red : colors.greyDark),
    });
    const w = small ? 0.085 : 0.065;
    if (state === 'error') {
      layers.push({
        shape: union(
          capsule(b.x - w / 2, b.y - br * 0.62, b.x + w / 2, b.y + br * 0.15),
          disc(b.x, b.y + br * 0.45, w * 0.62),
        ),
        paint: solid(colors.white),
      });
    } else {
      const gap = small ? 0.055 : 0.045;
      const h = br * 0.55;
      layers.push({
        shape: union(
          roundedRect(b.x - gap / 2 - w, b.y - h, b.x - gap / 2, b.y + h, w * 0.25),
          roundedRect(b.x + gap / 2, b.y - h, b.x + gap / 2 + w, b.y + h, w * 0.25),
        ),
        paint: solid(colors.white),
      });
    }
  }
  return layers;
}

/**
 * The macOS menu bar glyph of a state: no background square, only the arrows (dimmed when
 * paused) and, for error and paused, a badge whose "!" or pause bars are cut out. macOS
 * uses only the alpha of a template image.
 */
function templateLayersFor(size: number, state: TrayIconState): Layer[] {
  const small = size <= 24;
  const black = hex('#000000');
  const hasBadge = state === 'error' || state === 'paused';
  const c = hasBadge ? { x: 0.42, y: 0.42 } : { x: 0.5, y: 0.5 };
  const r = hasBadge ? 0.27 : 0.32;
  const stroke = small ? 0.13 : 0.11;
  let arrows = union(arcArrow(c, r, stroke, 165, 125), arcArrow(c, r, stroke, 345, 125));
  if (state === 'syncing') arrows = union(arrows, disc(c.x, c.y, 0.09));
  if (!hasBadge) return [{ shape: arrows, paint: solid(black) }];

  const b = { x: 0.74, y: 0.74 };
  const br = small ? 0.26 : 0.24;
  const gapRing = disc(b.x, b.y, br + (small ? 0.07 : 0.05));
  const w = small ? 0.09 : 0.07;
  const h = br * 0.55;
  const gap = small ? 0.06 : 0.05;
  const glyph =
    state === 'error'
      ? union(
          capsule(b.x - w / 2, b.y - br * 0.62, b.x + w / 2, b.y + br * 0.15),
          disc(b.x, b.y + br * 0.45, w * 0.62),
        )
      : union(
          roundedRect(b.x - gap / 2 - w, b.y - h, b.x - gap / 2, b.y + h, w * 0.25),
          roundedRect(b.x + gap / 2, b.y - h, b.x + gap / 2 + w, b.y + h, w * 0.25),
        );
  const badge = disc(b.x, b.y, br);
  return [
    {
      shape: (x, y) => arrows(x, y) && !gapRing(x, y),
      // Paused: the arrows fade, the badge says why.
      paint: solid(state === 'paused' ? hex('#000000', 0.55) : black),
    },
    { shape: (x, y) => badge(x, y) && !glyph(x, y), paint: solid(black) },
  ];
}

function mix(a: Rgba, b: Rgba, t: number): Rgba {
  const k = Math.min(Math.max(t, 0), 1);
  return [
    a[0] + (b[0] - a[0]) * k,
    a[1] + (b[1] - a[1]) * k,
    a[2] + (b[2] - a[2]) * k,
    a[3] + (b[3] - a[3]) * k,
  ];
}

/** Rasterizes `layers` at `size` x `size` with supersampled anti-aliasing; RGBA bytes. */
export function rasterize(layers: readonly Layer[], size: number): Uint8Array {
  const samples = size <= 64 ? 8 : 4;
  const out = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Premultiplied accumulation: each sample composites the layers "over" each other.
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          let cr = 0;
          let cg = 0;
          let cb = 0;
          let ca = 0;
          for (const layer of layers) {
            if (!layer.shape(x, y)) continue;
            const [lr, lg, lb, la] = layer.paint(x, y);
            cr = lr * la + cr * (1 - la);
            cg = lg * la + cg * (1 - la);
            cb = lb * la + cb * (1 - la);
            ca = la + ca * (1 - la);
          }
          r += cr;
          g += cg;
          b += cb;
          a += ca;
        }
      }
      const n = samples * samples;
      const i = (py * size + px) * 4;
      const alpha = a / n;
      out[i] = alpha > 0 ? Math.round((r / n / alpha) * 255) : 0;
      out[i + 1] = alpha > 0 ? Math.round((g / n / alpha) * 255) : 0;
      out[i + 2] = alpha > 0 ? Math.round((b / n / alpha) * 255) : 0;
      out[i + 3] = Math.round(alpha * 255);
    }
  }
  return out;
}

// ---- file formats -------------------------------------------------------------------

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG of 8-bit RGBA pixels (colour type 6), no filtering, zlib level 9. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error('encodePng: pixel data size mismatch');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** An ICO file whose images are PNGs (read by Windows Vista and later). */
export function encodeIco(images: readonly { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  const entries: Buffer[] = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    if (size < 1 || size > 256) throw new Error(`ICO images are 1...256 px, not ${size}`);
    const entry = Buffer.alloc(16);
    entry[0] = size === 256 ? 0 : size; // width (0 means 256)
    entry[1] = size === 256 ? 0 : size; // height
    entry[2] = 0; // palette size
    entry[3] = 0; // reserved
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    entries.push(entry);
    offset += png.length;
  }
  return Buffer.concat([header, ...entries, ...images.map((image) => image.png)]);
}

// ---- the icon set -------------------------------------------------------------------

function drawTray(state: TrayIconState, size: number): Buffer {
  const pixels = rasterize(layersFor({ size, state, margin: 0.03, gradient: false }), size);
  return encodePng(size, size, pixels);
}

function drawTrayTemplate(state: TrayIconState, size: number): Buffer {
  return encodePng(size, size, rasterize(templateLayersFor(size, state), size));
}

function drawAppIcon(size: number): Buffer {
  const margin = size >= 128 ? 0.06 : 0.03;
  const pixels = rasterize(layersFor({ size, state: 'idle', margin, gradient: true }), size);
  return encodePng(size, size, pixels);
}

export const appIconSize = 512;
export const icoSizes = [16, 24, 32, 48, 64, 128, 256] as const;

/** Every file of assets/ this script owns, by file name. */
export function iconFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const state of trayIconStates) {
    files.set(`tray-${state}.png`, drawTray(state, 16));
    files.set(`tray-${state}@2x.png`, drawTray(state, 32));
    files.set(`tray-${state}Template.png`, drawTrayTemplate(state, 16));
    files.set(`tray-${state}Template@2x.png`, drawTrayTemplate(state, 32));
  }
  files.set('icon.png', drawAppIcon(appIconSize));
  files.set('icon.ico', encodeIco(icoSizes.map((size) => ({ size, png: drawAppIcon(size) }))));
  return files;
}

if (import.meta.main) {
  const dir = join(import.meta.dirname, '..', 'assets');
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of iconFiles()) {
    writeFileSync(join(dir, name), data);
    process.stdout.write(`assets/${name}  ${data.length} bytes\n`);
  }
}
