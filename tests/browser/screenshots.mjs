// Screenshots of the fixture site for a human look at the theme:
//   node screenshots.mjs [OUT_DIR] [WIDTH ...]
// writes OUT_DIR/<page>-<width>[-large|-hc].png (default /tmp/gongkai-shots,
// widths 360 and 1280). Not part of the test run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LONG_SERVICE, WIDE_MARKDOWN, buildFixture, guardedContext, launch, serve } from './lib.mjs';

const outDir = process.argv[2] || '/tmp/gongkai-shots';
const widths = process.argv.slice(3).map(Number).filter(Boolean);
const PAGES = {
  home: '/',
  district: '/ceshi/',
  column: '/ceshi/policies/',
  item: '/ceshi/policies/jiaodi/',
  service: '/ceshi/services/shipin/',
  print: '/ceshi/services/shipin/print/',
  'long-service': LONG_SERVICE,
  'long-print': `${LONG_SERVICE}print/`,
  'wide-table': WIDE_MARKDOWN,
  catalog: '/catalog/',
  services: '/services/',
  stats: '/stats/',
  hant: '/zh-hant/ceshi/policies/jiaodi/',
  search: '/search/?q=%E4%BA%A4%E5%9C%B0%E5%8D%B3%E4%BA%A4%E8%AF%81',
  notfound: '/no-such-page/',
};

fs.mkdirSync(outDir, { recursive: true });
const site = buildFixture();
const server = await serve(site.out);
const browser = await launch();
const offsite = [];
try {
  for (const width of widths.length ? widths : [360, 1280]) {
    for (const variant of ['', '-large', '-hc']) {
      const context = await guardedContext(browser, server.host, offsite, {
        viewport: { width, height: 800 },
        isMobile: width < 600,
        deviceScaleFactor: 1,
      });
      for (const [name, p] of Object.entries(PAGES)) {
        if (name === 'search' && !fs.existsSync(path.join(site.out, 'search', 'index.html'))) continue;
        if (variant && !['item', 'district', 'print', 'home', 'service'].includes(name)) continue;
        const page = await context.newPage();
        await page.goto(`${server.origin}${p}`, { waitUntil: 'load' });
        if (variant === '-large') await page.click('label[for=fs-l]');
        // The choice is remembered from page to page: only switch it on.
        if (variant === '-hc' && !(await page.isChecked('#hc'))) await page.click('label[for=hc]');
        await page.waitForTimeout(name === 'search' ? 500 : 50);
        const file = path.join(outDir, `${name}-${width}${variant}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(file);
        await page.close();
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.server.close();
  fs.rmSync(site.tmp, { recursive: true, force: true });
}
if (offsite.length) console.log(`requests to other hosts:\n${offsite.join('\n')}`);
