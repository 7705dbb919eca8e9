/** assets/: the committed icons are what scripts/make-icons.ts draws, in valid formats. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { trayIconPath, trayStates } from '../../src/main/tray-icons.ts';
import { appIconSize, iconFiles, icoSizes, trayIconStates } from '../../scripts/make-icons.ts';

const assets = join(import.meta.dirname, '..', '..', 'assets');
const files = iconFiles();

function pngInfo(png: Buffer): { width: number; height: number; colorType: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png[25] ?? -1 };
}

/** The filtered scanlines of a PNG (its inflated IDAT data). */
function pngScanlines(png: Buffer): Buffer {
  let offset = 8;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    if (png.toString('latin1', offset + 4, offset + 8) === 'IDAT') {
      idat.push(png.subarray(offset + 8, offset + 8 + length));
    }
    offset += 12 + length;
  }
  return inflateSync(Buffer.concat(idat));
}

/** The PNGs inside an ICO file, in directory order. */
function icoImages(ico: Buffer): { size: number; png: Buffer }[] {
  expect(ico.readUInt16LE(0)).toBe(0);
  expect(ico.readUInt16LE(2)).toBe(1);
  return Array.from({ length: ico.readUInt16LE(4) }, (_, i) => {
    const entry = 6 + 16 * i;
    const start = ico.readUInt32LE(entry + 12);
    return {
      size: ico[entry] === 0 ? 256 : (ico[entry] ?? -1),
      png: ico.subarray(start, start + ico.readUInt32LE(entry + 8)),
    };
  });
}

/**
 * Same picture: compares pixels, not bytes (zlib builds may compress the same data
 * differently), allowing a rounding step per channel.
 */
function expectSamePng(actual: Buffer, expected: Buffer, name: string): void {
  expect(pngInfo(actual), name).toEqual(pngInfo(expected));
  const a = pngScanlines(actual);
  const b = pngScanlines(expected);
  expect(a.length, name).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  expect(worst, `${name}: largest channel difference`).toBeLessThanOrEqual(1);
}

describe('icons', () => {
  it('are up to date with scripts/make-icons.ts (run it after changing the drawing)', () => {
    for (const [name, data] of files) {
      const committed = readFileSync(join(assets, name));
      if (name.endsWith('.ico')) {
        const actual = icoImages(committed);
        const expected = icoImages(data);
        expect(actual.map((image) => image.size)).toEqual(expected.map((image) => image.size));
        actual.forEach((image, i) =>
          expectSamePng(image.png, expected[i]?.png ?? Buffer.alloc(0), `${name} ${image.size}`),
        );
      } else {
        expectSamePng(committed, data, name);
      }
    }
  });

  it('cover every tray state main uses, at 16 px and 32 px (@2x)', () => {
    expect([...trayIconStates]).toEqual([...trayStates]);
    for (const state of trayStates) {
      const base = readFileSync(trayIconPath(state, assets));
      const hiDpi = readFileSync(trayIconPath(state, assets).replace(/\.png$/, '@2x.png'));
      expect(pngInfo(base)).toEqual({ width: 16, height: 16, colorType: 6 });
      expect(pngInfo(hiDpi)).toEqual({ width: 32, height: 32, colorType: 6 });
    }
  });

  it('has a 512 px app icon whose pixel data decodes', () => {
    const png = readFileSync(join(assets, 'icon.png'));
    expect(pngInfo(png)).toEqual({ width: appIconSize, height: appIconSize, colorType: 6 });
    expect(pngScanlines(png).length).toBe((appIconSize * 4 + 1) * appIconSize);
  });

  it('has a Windows ICO holding PNGs of 16 to 256 px', () => {
    const images = icoImages(readFileSync(join(assets, 'icon.ico')));
    expect(images.map((image) => image.size)).toEqual([...icoSizes]);
    for (const { size, png } of images) {
      expect(pngInfo(png)).toEqual({ width: size, height: size, colorType: 6 });
    }
  });
});
