// Makes the default theme's favicon.ico from its favicon.svg (or any SVG):
//   node favicon.mjs [SVG] [ICO]
// (defaults: ../../themes/default/static/favicon.svg and favicon.ico beside
// it). Debian's Chromium draws the SVG at 16, 32 and 48 px; the ICO holds
// the three PNG images (PNG-in-ICO, read by every browser that still asks
// for /favicon.ico). A site that replaces favicon.svg in its theme can make
// its matching favicon.ico the same way.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, launch } from './lib.mjs';

const SIZES = [16, 32, 48];
const svgPath = process.argv[2] || path.join(REPO, 'themes', 'default', 'static', 'favicon.svg');
const icoPath = process.argv[3] || path.join(path.dirname(svgPath), 'favicon.ico');

/* PNG bytes of the SVG drawn at each size, with a transparent ground. */
async function draw(svg) {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const url = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    const pngs = await page.evaluate(
      async ({ url, sizes }) => {
        const img = new Image();
        img.src = url;
        await img.decode();
        return sizes.map((size) => {
          const canvas = document.createElement('canvas');
          canvas.width = canvas.height = size;
          canvas.getContext('2d').drawImage(img, 0, 0, size, size);
          return canvas.toDataURL('image/png').split(',')[1];
        });
      },
      { url, sizes: SIZES },
    );
    return pngs.map((b64) => Buffer.from(b64, 'base64'));
  } finally {
    await browser.close();
  }
}

/* An ICO file: a 6-byte header, a 16-byte entry per image, then the PNGs. */
function ico(pngs) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(pngs.length, 4);
  let offset = 6 + 16 * pngs.length;
  const entries = pngs.map((png, i) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(SIZES[i] % 256, 0); // width (0 would mean 256)
    entry.writeUInt8(SIZES[i] % 256, 1); // height
    entry.writeUInt8(0, 2); // no palette
    entry.writeUInt8(0, 3); // reserved
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...pngs]);
}

const pngs = await draw(fs.readFileSync(svgPath, 'utf8'));
fs.writeFileSync(icoPath, ico(pngs));
console.log(`${icoPath}: ${SIZES.join(', ')} px from ${svgPath}`);
