// Real-browser tests of a built gongkai site (DESIGN §5 "Every page", issue 4
// parts 3 and 4). Builds tests/sites/all-kinds with `traditional = true`
// using target/release/gongkai ($CARGO_TARGET_DIR/release/gongkai when set,
// or $GONGKAI_BIN), serves it on 127.0.0.1 and drives Debian's
// Chromium with playwright-core:
//
//   - axe-core (WCAG 2.1 A/AA) finds no serious or critical violation;
//   - 小/中/大 and 高对比度 change the page without JavaScript, and are
//     remembered across pages with it;
//   - a skip link moves focus to <main>, focus is visible, every page has lang;
//   - an item page is under 30 KB of HTML + CSS and readable without JS;
//   - nothing sticks out of a 360 px screen: the theme's tables become one
//     card per row with every cell readable, Markdown tables scroll in a
//     focusable region;
//   - no request leaves 127.0.0.1, and none fails (a missing favicon would);
//   - /search/ (when the build has it) finds an item typed into its box.
//
// Run: npm ci && npm test (after `cargo build --release` in the repository).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BLOCKING,
  LONG_SERVICE,
  WIDE_MARKDOWN,
  axe,
  buildFixture,
  describeViolations,
  guardedContext,
  launch,
  serve,
  walk,
} from './lib.mjs';

const ITEM = '/ceshi/policies/jiaodi/';
const ITEM_TITLE = '关于推行“交地即交证”的实施意见';
const SEARCH_QUERY = '交地即交证';

const PAGES = [
  ['home', '/'],
  ['district', '/ceshi/'],
  ['column', '/ceshi/policies/'],
  ['item (policy)', ITEM],
  ['item (service guide)', '/ceshi/services/shipin/'],
  ['item (FAQ)', '/ceshi/faq/wenda/'],
  ['service print page', '/ceshi/services/shipin/print/'],
  ['catalogue', '/catalog/'],
  ['service directory', '/services/'],
  ['stats', '/stats/'],
  ['Traditional home', '/zh-hant/'],
  ['Traditional item', `/zh-hant${ITEM}`],
  ['404', '/no-such-page/'],
];

// Built before the tests are declared: whether /search/ is in the build
// decides which pages are tested.
const site = buildFixture(); // { tmp, out }
const hasSearch = fs.existsSync(path.join(site.out, 'search', 'index.html'));
if (hasSearch) {
  PAGES.push(['search', '/search/'], ['search with a query', `/search/?q=${encodeURIComponent(SEARCH_QUERY)}`]);
}
const server = await serve(site.out); // { server, origin, host }
let browser;
const offsite = []; // every request that was not for the test server
const failed = []; // every answer of 400 or more but the 404 page's own
const seen = new Set(); // every path asked for
const summary = []; // axe findings per page, printed at the end

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server.server.close(resolve));
  if (!process.env.KEEP_SITE) fs.rmSync(site.tmp, { recursive: true, force: true });
  if (summary.length) {
    console.log('\naxe-core (WCAG 2.1 A/AA) violations per page:');
    for (const line of summary) console.log(`  ${line}`);
  }
});

const url = (p) => `${server.origin}${p}`;

async function withContext(options, fn) {
  const context = await guardedContext(browser, server.host, offsite, options);
  context.on('response', (r) => {
    const { pathname } = new URL(r.url());
    seen.add(pathname);
    if (r.status() >= 400 && pathname !== '/no-such-page/') failed.push(`${r.status()} ${r.url()}`);
  });
  try {
    return await fn(context);
  } finally {
    await context.close();
  }
}

async function open(context, p) {
  const page = await context.newPage();
  const response = await page.goto(url(p), { waitUntil: 'load' });
  assert.ok(response, `no response for ${p}`);
  assert.equal(response.status(), p === '/no-such-page/' ? 404 : 200, `status of ${p}`);
  return page;
}

async function settleSearch(page, p) {
  // The search page fills its results after load; give it a moment.
  if (p.startsWith('/search/?')) {
    await page.locator(`main a[href*="${ITEM}"]`).first().waitFor({ timeout: 5000 });
  }
}

describe('axe-core: no serious or critical WCAG 2.1 A/AA violation', () => {
  for (const [name, p] of PAGES) {
    test(`${name} ${p}`, async (t) => {
      await withContext({}, async (context) => {
        const page = await open(context, p);
        await settleSearch(page, p);
        const { violations } = await axe(page);
        const blocking = violations.filter((v) => BLOCKING.has(v.impact));
        const counts = violations.map((v) => `${v.impact} ${v.id} ×${v.nodes.length}`).join(', ') || 'none';
        summary.push(`${p}: ${counts}`);
        if (violations.length) t.diagnostic(describeViolations(violations));
        assert.equal(blocking.length, 0, `serious or critical violations on ${p}:\n${describeViolations(blocking)}`);
      });
    });
  }

  test('search page', { skip: hasSearch ? false : 'the build has no /search/ yet (search is not merged)' }, () => {
    // Nothing to do here when the build has search: /search/ is in PAGES.
  });

  test('item page in high contrast and large text, and at 360 px', async () => {
    await withContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, async (context) => {
      const page = await open(context, ITEM);
      await page.click('label[for=fs-l]');
      await page.click('label[for=hc]');
      const { violations } = await axe(page);
      const blocking = violations.filter((v) => BLOCKING.has(v.impact));
      summary.push(`${ITEM} (360 px, 大, 高对比度): ${violations.map((v) => `${v.impact} ${v.id}`).join(', ') || 'none'}`);
      assert.equal(blocking.length, 0, describeViolations(blocking));
    });
  });
});

/* Font size of the item's body text and colours of the page. */
function look(page) {
  return page.evaluate(() => {
    const text = document.querySelector('.item-body p') || document.querySelector('main p');
    const cs = getComputedStyle(text);
    const main = getComputedStyle(document.querySelector('main'));
    const pg = getComputedStyle(document.querySelector('.page') || document.body);
    return {
      fontSize: parseFloat(cs.fontSize),
      color: cs.color,
      background: pg.backgroundColor,
      mainBackground: main.backgroundColor,
      link: getComputedStyle(document.querySelector('main a')).color,
    };
  });
}

describe('display controls 小/中/大 and 高对比度', () => {
  test('work without JavaScript', async () => {
    await withContext({ javaScriptEnabled: false }, async (context) => {
      const page = await open(context, ITEM);
      const medium = await look(page);
      await page.click('label[for=fs-l]');
      const large = await look(page);
      assert.ok(large.fontSize > medium.fontSize * 1.15, `大: ${large.fontSize}px vs 中 ${medium.fontSize}px`);
      await page.click('label[for=fs-s]');
      const small = await look(page);
      assert.ok(small.fontSize < medium.fontSize * 0.95, `小: ${small.fontSize}px vs 中 ${medium.fontSize}px`);
      await page.click('label[for=fs-m]');
      assert.equal((await look(page)).fontSize, medium.fontSize);

      await page.click('label[for=hc]');
      const hc = await look(page);
      assert.notEqual(hc.color, medium.color, 'high contrast changes the text colour');
      assert.notEqual(hc.background, medium.background, 'high contrast changes the background');
      assert.equal(hc.background, 'rgb(0, 0, 0)');
      assert.equal(hc.color, 'rgb(255, 255, 255)');
      assert.equal(hc.link, 'rgb(255, 255, 0)');
      await page.click('label[for=hc]');
      assert.deepEqual(await look(page), medium, 'turning high contrast off restores the page');

      // The controls are real form inputs: reachable and operable by keyboard.
      await page.focus('#hc');
      await page.keyboard.press('Space');
      assert.equal((await look(page)).background, 'rgb(0, 0, 0)');
      await page.focus('#fs-m');
      await page.keyboard.press('ArrowRight');
      assert.ok(await page.isChecked('#fs-l'), 'arrow key moves the font size to 大');
    });
  });

  test('are remembered across pages with JavaScript', async () => {
    await withContext({}, async (context) => {
      const page = await open(context, ITEM);
      const medium = await look(page);
      await page.click('label[for=fs-l]');
      await page.click('label[for=hc]');
      const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('gongkai-display')));
      assert.deepEqual(stored, { fs: 'fs-l', hc: true });

      await page.goto(url('/ceshi/policies/'), { waitUntil: 'load' });
      assert.ok(await page.isChecked('#fs-l'), '大 restored on the next page');
      assert.ok(await page.isChecked('#hc'), '高对比度 restored on the next page');
      await page.goto(url(ITEM), { waitUntil: 'load' });
      const again = await look(page);
      assert.ok(again.fontSize > medium.fontSize * 1.15, `restored size ${again.fontSize}px`);
      assert.equal(again.background, 'rgb(0, 0, 0)');

      await page.click('label[for=fs-m]');
      await page.click('label[for=hc]');
      await page.reload({ waitUntil: 'load' });
      assert.deepEqual(await look(page), medium, 'back to 中 and normal contrast after a reload');
    });
  });
});

describe('every page', () => {
  test('every built HTML page declares lang', () => {
    const pages = walk(site.out).filter((f) => f.endsWith('.html'));
    assert.ok(pages.length > 100, `only ${pages.length} pages built`);
    for (const f of pages) {
      const html = fs.readFileSync(path.join(site.out, f), 'utf8');
      const m = /<html\b[^>]*\blang="([^"]+)"/.exec(html);
      assert.ok(m, `${f} has no <html lang>`);
      assert.equal(m[1], f.startsWith('zh-hant/') ? 'zh-Hant' : 'zh-CN', `lang of ${f}`);
    }
  });

  test('lang, one <main>, a skip link to it and landmarks on each tested page', async () => {
    await withContext({}, async (context) => {
      for (const [, p] of PAGES) {
        const page = await open(context, p);
        const facts = await page.evaluate(() => ({
          lang: document.documentElement.lang,
          mains: document.querySelectorAll('main').length,
          mainId: document.querySelector('main')?.id,
          skip: document.querySelector('body a[href^="#"]')?.getAttribute('href'),
          banner: !!document.querySelector('header.masthead'),
          nav: document.querySelectorAll('nav[aria-label]').length,
          footer: !!document.querySelector('footer'),
          h1: document.querySelectorAll('h1').length,
        }));
        assert.match(facts.lang, /^zh-(CN|Hant)$/, `lang on ${p}`);
        assert.equal(facts.mains, 1, `one <main> on ${p}`);
        assert.equal(facts.skip, `#${facts.mainId}`, `the first in-page link on ${p} skips to <main>`);
        assert.ok(facts.banner && facts.nav >= 1 && facts.footer, `header, nav and footer landmarks on ${p}`);
        assert.equal(facts.h1, 1, `one <h1> on ${p}`);
        await page.close();
      }
    });
  });

  for (const javaScriptEnabled of [true, false]) {
    test(`the skip link is the first Tab stop, shows, and moves focus to <main> (JS ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      await withContext({ javaScriptEnabled }, async (context) => {
        for (const p of ['/', ITEM, `/zh-hant${ITEM}`]) {
          const page = await open(context, p);
          await page.keyboard.press('Tab');
          const skip = await page.evaluate(() => {
            const a = document.activeElement;
            const r = a.getBoundingClientRect();
            const cs = getComputedStyle(a);
            return {
              tag: a.tagName,
              href: a.getAttribute('href'),
              text: a.textContent,
              onScreen: r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.width > 10 && r.height > 10,
              outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0,
            };
          });
          assert.equal(skip.tag, 'A', `first Tab stop on ${p}`);
          assert.equal(skip.href, '#main');
          assert.ok(skip.onScreen, `skip link visible when focused on ${p}`);
          assert.ok(skip.outline, `skip link has a focus outline on ${p}`);
          await page.keyboard.press('Enter');
          await page.waitForFunction(() => document.activeElement?.tagName === 'MAIN', null, { timeout: 2000 });
          // The next Tab goes to the first link inside <main>, not back to the header.
          await page.keyboard.press('Tab');
          assert.ok(
            await page.evaluate(() => document.querySelector('main').contains(document.activeElement)),
            `Tab after the skip link stays in <main> on ${p}`,
          );
          await page.close();
        }
      });
    });
  }

  test('focus is visible on every Tab stop', async (t) => {
    await withContext({}, async (context) => {
      for (const p of ['/', '/ceshi/', ITEM, '/ceshi/services/shipin/', '/ceshi/services/shipin/print/', '/catalog/']) {
        const page = await open(context, p);
        const seen = [];
        for (let i = 0; i < 200; i++) {
          await page.keyboard.press('Tab');
          const stop = await page.evaluate(() => {
            const a = document.activeElement;
            if (!a || a === document.body) return null;
            if (a.hasAttribute('data-tab-seen')) return { again: true };
            a.setAttribute('data-tab-seen', '');
            // A visually hidden control shows its focus on its <label>.
            const shown = a.classList.contains('vh') && a.id ? document.querySelector(`label[for="${a.id}"]`) : a;
            const cs = getComputedStyle(shown);
            const r = shown.getBoundingClientRect();
            return {
              key: `${a.tagName}#${a.id}.${a.className}[${a.getAttribute('href') || ''}]`,
              outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2,
              sized: r.width > 0 && r.height > 0,
            };
          });
          if (!stop || stop.again) break; // left the page or wrapped around
          seen.push(stop.key);
          assert.ok(stop.outline, `no visible focus outline on ${stop.key} on ${p}`);
          assert.ok(stop.sized, `focused element has no size: ${stop.key} on ${p}`);
        }
        assert.ok(seen.length > 10, `only ${seen.length} Tab stops reached on ${p}: ${seen.join(' ')}`);
        t.diagnostic(`${p}: ${seen.length} Tab stops, all with a visible outline`);
        await page.close();
      }
    });
  });

  test('print stylesheet hides the navigation and keeps the content', async () => {
    await withContext({}, async (context) => {
      const page = await open(context, ITEM);
      await page.emulateMedia({ media: 'print' });
      const shown = await page.evaluate(() =>
        Object.fromEntries(
          ['.nav', '.tools', '.skip', '.item-body', '.meta', 'h1'].map((s) => [s, getComputedStyle(document.querySelector(s)).display]),
        ),
      );
      for (const s of ['.nav', '.tools', '.skip']) assert.equal(shown[s], 'none', `${s} printed`);
      for (const s of ['.item-body', '.meta', 'h1']) assert.notEqual(shown[s], 'none', `${s} not printed`);
    });
  });
});

describe('item page budget', () => {
  test('HTML + CSS of an item page is under 30 KB before compression', async () => {
    await withContext({}, async (context) => {
      const bytes = { document: 0, stylesheet: 0, script: 0, other: 0 };
      const pending = [];
      const page = await context.newPage();
      page.on('response', (r) => {
        const type = r.request().resourceType();
        pending.push(r.body().then((b) => (bytes[type in bytes ? type : 'other'] += b.length)).catch(() => {}));
      });
      await page.goto(url(ITEM), { waitUntil: 'load' });
      await Promise.all(pending);
      const total = bytes.document + bytes.stylesheet;
      console.log(`  item page ${ITEM}: HTML ${bytes.document} B + CSS ${bytes.stylesheet} B = ${total} B (script ${bytes.script} B, other ${bytes.other} B)`);
      assert.ok(bytes.document > 1000 && bytes.stylesheet > 1000, JSON.stringify(bytes));
      assert.ok(total < 30 * 1024, `item page HTML + CSS is ${total} bytes`);
    });
  });

  test('every item page of the fixture is under 30 KB of HTML + CSS', () => {
    const css = fs.statSync(path.join(site.out, 'style.css')).size;
    const items = walk(site.out).filter((f) => f.endsWith('index.html') && fs.readFileSync(path.join(site.out, f), 'utf8').includes('<article class="item'));
    assert.ok(items.length >= 10, `only ${items.length} item pages found`);
    let largest = ['', 0];
    for (const f of items) {
      const total = fs.statSync(path.join(site.out, f)).size + css;
      if (total > largest[1]) largest = [f, total];
      assert.ok(total < 30 * 1024, `${f}: ${total} bytes of HTML + CSS`);
    }
    console.log(`  ${items.length} item pages; largest ${largest[0]}: ${largest[1]} B with style.css (${css} B)`);
  });

  test('an item page is readable without JavaScript', async () => {
    await withContext({ javaScriptEnabled: false }, async (context) => {
      const page = await open(context, ITEM);
      assert.equal((await page.locator('h1').innerText()).trim(), ITEM_TITLE);
      await assert.doesNotReject(page.locator('.item-body').waitFor({ state: 'visible', timeout: 1000 }));
      const body = await page.locator('.item-body').innerText();
      assert.ok(body.includes('本意见自发布之日起施行'), 'body text shown');
      const meta = await page.locator('.meta').innerText();
      for (const v of ['测政办发〔2023〕8号', '11430999000000000A/2023-00001', '测试区人民政府办公室']) {
        assert.ok(meta.includes(v), `metadata ${v} shown`);
      }
      assert.ok(await page.locator('.qr-code svg').isVisible(), 'QR code shown');
    });
  });
});

/* Everything a 360 px screen must show, measured in the page:
   - `overflow`: elements that stick out of the viewport (sideways), except
     inside a box that clips or scrolls (that box is measured instead) and
     except what is moved off-screen on purpose (the skip link) or clipped
     to a pixel (.vh, the hidden table heads);
   - `cells`: every body cell of a table the theme draws (outside
     .item-body) with text: shown, inside the viewport, its text not
     clipped, and with its column name shown before it (card layout);
   - `bodyTables`: tables from the Markdown body, each in a focusable,
     labelled region that stays inside the viewport and scrolls. */
function measureNarrow() {
  const vw = document.documentElement.clientWidth;
  const clipsOrScrolls = (el) => getComputedStyle(el).overflowX !== 'visible';
  const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} “${(el.textContent || '').trim().slice(0, 30)}”`;
  const overflow = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue; // not shown, or clipped to a pixel
    let up = el.parentElement;
    let inside = false;
    while (up && up !== document.body) {
      if (clipsOrScrolls(up)) inside = true;
      up = up.parentElement;
    }
    if (inside) continue;
    if (r.right <= 0 && getComputedStyle(el).position === 'absolute') continue; // off-screen on purpose
    if (r.left < -0.5 || r.right > vw + 0.5) overflow.push(`${describe(el)}: ${Math.round(r.left)}…${Math.round(r.right)}`);
  }
  // WCAG contrast of a pseudo-element's text against the first background
  // behind it (axe does not look at generated text).
  const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) =>
    [r, g, b].map((v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const contrast = (el, pseudo) => {
    let bg = el;
    while (bg && rgb(getComputedStyle(bg).backgroundColor)[3] === 0) bg = bg.parentElement;
    const back = luminance(rgb(bg ? getComputedStyle(bg).backgroundColor : 'rgb(255,255,255)'));
    const fore = luminance(rgb(getComputedStyle(el, pseudo).color));
    return (Math.max(back, fore) + 0.05) / (Math.min(back, fore) + 0.05);
  };
  const cells = [];
  for (const cell of document.querySelectorAll('main table tbody td, main table tbody th')) {
    if (cell.closest('.item-body')) continue;
    const text = cell.innerText.trim();
    if (!text) continue;
    const cs = getComputedStyle(cell);
    const r = cell.getBoundingClientRect();
    const label = cell.dataset.label;
    const before = getComputedStyle(cell, '::before').content;
    cells.push({
      what: `${describe(cell.closest('table'))} › ${describe(cell)}`,
      shown: cs.display !== 'none' && cs.visibility === 'visible' && r.width > 1 && r.height > 1,
      inView: r.left >= -0.5 && r.right <= vw + 0.5,
      notClipped: cell.scrollWidth <= cell.clientWidth + 1,
      // its column name shown before it, or a key-value table (a row
      // header and its value, no column heads), or the card's title
      labelled:
        cell.tagName === 'TH' ||
        cell.classList.contains('stack-title') ||
        (!!label && before.includes(label)) ||
        (!cell.closest('table').tHead && !!cell.parentElement.querySelector('th[scope=row]')),
      labelContrast: label && before.includes(label) ? Math.round(contrast(cell, '::before') * 10) / 10 : null,
    });
  }
  const bodyTables = [...document.querySelectorAll('.item-body table')].map((t) => {
    const box = t.parentElement;
    const r = box.getBoundingClientRect();
    return {
      table: describe(t),
      region: box.getAttribute('role') === 'region' && !!box.getAttribute('aria-label') && box.tabIndex === 0,
      scrolls: getComputedStyle(box).overflowX === 'auto',
      inView: r.left >= -0.5 && r.right <= vw + 0.5,
      wider: box.scrollWidth > box.clientWidth,
    };
  });
  return { vw, scrollWidth: document.documentElement.scrollWidth, overflow, cells, bodyTables };
}

// Every page type with a table, the guide with long materials and the
// article with a wide Markdown table; PAGES covers the rest.
const NARROW_PAGES = [
  ...PAGES.map(([, p]) => p),
  LONG_SERVICE,
  `${LONG_SERVICE}print/`,
  WIDE_MARKDOWN,
  `/zh-hant${LONG_SERVICE}`,
  '/ceshi/service-catalog/',
  '/ceshi/catalog/',
];

describe('a 360 px wide screen', () => {
  for (const size of ['fs-m', 'fs-l', 'hc']) {
    const shown = { 'fs-m': '中', 'fs-l': '大', hc: '高对比度' }[size];
    test(`nothing sticks out, every table cell is readable (${shown})`, async (t) => {
      await withContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, javaScriptEnabled: false }, async (context) => {
        let checked = 0;
        for (const p of NARROW_PAGES) {
          const page = await open(context, p);
          await page.click(`label[for=${size}]`);
          const r = await page.evaluate(measureNarrow);
          assert.equal(r.vw, 360, `viewport width on ${p}`);
          assert.ok(r.scrollWidth <= 360, `${p} is ${r.scrollWidth}px wide at 360px`);
          assert.deepEqual(r.overflow, [], `${p}: elements outside the screen`);
          for (const c of r.cells) {
            assert.ok(c.shown && c.inView && c.notClipped, `${p}: cell not readable: ${JSON.stringify(c)}`);
            assert.ok(c.labelled, `${p}: cell without its column name: ${c.what}`);
            assert.ok(c.labelContrast === null || c.labelContrast >= 4.5, `${p}: column name in contrast ${c.labelContrast}: ${c.what}`);
          }
          for (const b of r.bodyTables) {
            assert.ok(b.region && b.scrolls && b.inView, `${p}: Markdown table not in a focusable scrolling region: ${JSON.stringify(b)}`);
          }
          if (p === WIDE_MARKDOWN) {
            assert.ok(r.bodyTables.length === 1 && r.bodyTables[0].wider, `${p}: the wide table scrolls inside its box: ${JSON.stringify(r.bodyTables)}`);
          }
          checked += r.cells.length;
          await page.close();
        }
        assert.ok(checked > 100, `only ${checked} table cells checked`);
        t.diagnostic(`${NARROW_PAGES.length} pages, ${checked} table cells readable at 360 px`);
      });
    });
  }

  test('tables stay tables for screen readers in the card layout, and axe stays clean', async () => {
    await withContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, async (context) => {
      for (const p of [LONG_SERVICE, `${LONG_SERVICE}print/`, '/catalog/', '/services/', '/stats/', '/ceshi/policies/', WIDE_MARKDOWN]) {
        const page = await open(context, p);
        const tree = await page.locator('main table.stack, .item-body table').first().ariaSnapshot();
        assert.match(tree, /^- table/, `${p}: ${tree}`);
        assert.match(tree, /- row /, `${p}: ${tree}`);
        assert.match(tree, /- columnheader /, `${p}: ${tree}`);
        assert.match(tree, /- cell /, `${p}: ${tree}`);
        const { violations } = await axe(page);
        const blocking = violations.filter((v) => BLOCKING.has(v.impact));
        summary.push(`${p} (360 px): ${violations.map((v) => `${v.impact} ${v.id}`).join(', ') || 'none'}`);
        assert.equal(blocking.length, 0, `${p} at 360 px:\n${describeViolations(blocking)}`);
        await page.close();
      }
    });
  });

  test('at 1280 px the tables are tables (one row per line, headers shown)', async () => {
    await withContext({ viewport: { width: 1280, height: 900 } }, async (context) => {
      for (const p of [LONG_SERVICE, '/catalog/', '/stats/']) {
        const page = await open(context, p);
        const r = await page.evaluate(() => {
          const t = document.querySelector('main table.stack');
          const head = t.querySelector('thead th').getBoundingClientRect();
          const cells = [...t.querySelector('tbody tr').children].map((c) => c.getBoundingClientRect().top);
          return { display: getComputedStyle(t).display, headHeight: head.height, sameLine: cells.every((top) => Math.abs(top - cells[0]) < 1) };
        });
        assert.deepEqual(r.display, 'table', `${p}`);
        assert.ok(r.headHeight > 10 && r.sameLine, `${p}: ${JSON.stringify(r)}`);
        await page.close();
      }
    });
  });
});

describe('search', () => {
  const skip = hasSearch ? false : 'the build has no /search/ yet (search is not merged)';
  const hit = (page, href = ITEM) => page.locator(`main a[href*="${href}"]`);

  test(`typing ${SEARCH_QUERY} in the search box shows the item`, { skip }, async () => {
    await withContext({}, async (context) => {
      const page = await open(context, '/search/');
      assert.equal(await hit(page).count(), 0, 'no result before a query');
      const box = page.locator('main form input[name=q]');
      await box.click();
      await box.pressSequentially(SEARCH_QUERY, { delay: 20 });
      await box.press('Enter');
      await hit(page).first().waitFor({ timeout: 5000 });
      assert.ok((await hit(page).first().innerText()).includes(SEARCH_QUERY));
    });
  });

  test('the header search box leads to the results', { skip }, async () => {
    await withContext({}, async (context) => {
      const page = await open(context, '/ceshi/');
      await page.fill('header input[name=q]', SEARCH_QUERY);
      await Promise.all([page.waitForURL(/\/search\/\?q=/), page.press('header input[name=q]', 'Enter')]);
      await hit(page).first().waitFor({ timeout: 5000 });
    });
  });

  test('a Traditional query finds the item in the Traditional copy', {
    skip: fs.existsSync(path.join(site.out, 'zh-hant', 'search', 'index.html')) ? false : 'the build has no /zh-hant/search/ yet',
  }, async () => {
    await withContext({}, async (context) => {
      const page = await open(context, `/zh-hant/search/?q=${encodeURIComponent('交地即交證')}`);
      // The Traditional copy shares the main copy's index; its results lead
      // to the Traditional pages.
      await hit(page, `/zh-hant${ITEM}`).first().waitFor({ timeout: 5000 });
    });
  });

  test('markup typed into the search box is shown as text, never run', { skip }, async () => {
    await withContext({}, async (context) => {
      const page = await open(context, '/search/');
      let dialog = false;
      page.on('dialog', (d) => {
        dialog = true;
        d.dismiss();
      });
      const box = page.locator('main form input[name=q]');
      // A short one (the status line quotes only the first 20 characters)
      // and one with a script.
      for (const query of ['<b id=gk-bold>交地</b>', '<img src=/gk-injected onerror=alert(1)>交地']) {
        const before = await page.locator('main [role=status]').textContent();
        await box.fill(query);
        await box.press('Enter');
        await page.waitForFunction(
          (prev) => {
            const now = document.querySelector('main [role=status]').textContent;
            return now !== prev && now.includes('“') && !now.includes('正在搜索');
          },
          before,
          { timeout: 5000 },
        );
        const injected = await page.evaluate(() => ({
          img: !!document.querySelector('img[src="/gk-injected"]'),
          bold: !!document.getElementById('gk-bold'),
        }));
        assert.deepEqual(injected, { img: false, bold: false }, `markup from ${query} reached the page`);
      }
      assert.equal(dialog, false, 'a script in the query ran');
    });
  });
});

describe('requests', () => {
  test('no request left 127.0.0.1', () => {
    assert.deepEqual(offsite, [], `requests to other hosts:\n${offsite.join('\n')}`);
  });

  test('no request failed (no missing favicon, stylesheet or script)', () => {
    assert.deepEqual([...new Set(failed)], [], 'failed requests');
    assert.ok(seen.has('/style.css'), 'responses were recorded');
  });
});
