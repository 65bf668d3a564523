// Helpers for the browser tests: build the fixture site, serve it on
// 127.0.0.1, launch Debian's Chromium through playwright-core, run axe-core.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');

/* Items added to the fixture's copy for the narrow-screen tests: a service
   guide whose materials have long names, notes and an unbroken URL (the
   table that was 465 px wide at 375 px), and an article whose Markdown body
   holds a table of eight columns. */
export const LONG_SERVICE = '/ceshi/services/changbiao/';
export const WIDE_MARKDOWN = '/ceshi/news/kuanbiao/';
const EXTRA_ITEMS = {
  'content/ceshi/services/changbiao.md': `---
title: 建设工程消防验收备案
date: 2023-03-01
item_type: 行政许可
levels: [county]
department: 测试区住房和城乡建设局
legal_days: 20
promised_days: 5
materials:
  - {name: 建设工程消防验收备案表（加盖建设单位公章，并由法定代表人签字）, copies: 2, form: 原件, source: 申请人自备（在 https://zwfw.example.gov.cn/download/xiaofang-yanshou-beian-biao-2023-v2.docx 下载）, note: 表格须用黑色签字笔填写，不得涂改；委托办理的须同时提交授权委托书及受托人身份证复印件}
  - {name: 工程竣工验收报告, copies: 1, form: 原件及复印件, source: 建设单位, note: GB50016-2014-JIANZHUSHEJIFANGHUOGUIFAN-2018NIANBAN}
  - {name: 消防设施检测报告, copies: 1, form: 复印件, source: 具有相应资质的技术服务机构}
---
办理流程说明。
`,
  'content/ceshi/news/kuanbiao.md': `---
title: 2023年第一季度重点项目进度
date: 2023-04-10
---
下表列出各重点项目的进度。

| 序号 | 项目名称 | 建设单位 | 总投资（万元） | 年度计划投资（万元） | 一季度完成投资（万元） | 形象进度 | 备注 |
|---|---|---|---|---|---|---|---|
| 1 | 测试区第一人民医院门诊综合楼扩建工程 | 测试区卫生健康局 | 52000 | 18000 | 4300 | 主体结构施工至第十二层 | 按计划推进 |
| 2 | 城北污水处理厂提标改造工程 | 测试区住房和城乡建设局 | 31000 | 12000 | 2600 | 设备安装调试 | 较计划提前 |
`,
};

/* Copies tests/sites/all-kinds to a temporary folder, adds EXTRA_ITEMS,
   turns the Traditional copy on (as tests/traditional.rs does) and builds
   it with the release binary. Returns { tmp, out }. */
export function buildFixture() {
  const target = process.env.CARGO_TARGET_DIR || path.join(REPO, 'target');
  const bin = process.env.GONGKAI_BIN || path.join(target, 'release', 'gongkai');
  if (!fs.existsSync(bin)) {
    throw new Error(`${bin} does not exist: run \`cargo build --release\` first (or set GONGKAI_BIN)`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gongkai-browser-'));
  const root = path.join(tmp, 'site');
  fs.cpSync(path.join(REPO, 'tests', 'sites', 'all-kinds'), root, { recursive: true });
  const toml = path.join(root, 'site.toml');
  fs.writeFileSync(toml, `traditional = true\n${fs.readFileSync(toml, 'utf8')}`);
  for (const [file, text] of Object.entries(EXTRA_ITEMS)) fs.writeFileSync(path.join(root, file), text);
  const out = path.join(tmp, 'public');
  const run = spawnSync(bin, ['build', '--root', root, '--out', out], { encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(`gongkai build failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  return { tmp, out };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.bin': 'application/octet-stream',
};

/* A static file server for `dir`, bound to 127.0.0.1 only (on a free
   port). Directories serve their index.html; a directory asked for
   without its slash is redirected; anything else is 404.html with 404. */
export function serve(dir) {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = path.resolve(root, `.${pathname}`);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    let status = 200;
    try {
      if (fs.statSync(file).isDirectory()) {
        if (!pathname.endsWith('/')) {
          res.writeHead(301, { Location: `${pathname}/` }).end();
          return;
        }
        file = path.join(file, 'index.html');
      }
      fs.accessSync(file);
    } catch {
      status = 404;
      file = path.join(root, '404.html');
    }
    let body;
    try {
      body = fs.readFileSync(file);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ server, origin: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}` });
    });
  });
}

/* The switches the project asks for. playwright-core adds a fresh,
   temporary --user-data-dir of its own on every launch (and removes it on
   close); it refuses one passed in args. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

export function launch() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`${executablePath} does not exist: apt-get install -y chromium (or set CHROMIUM)`);
  }
  return chromium.launch({ executablePath, headless: true, chromiumSandbox: false, args: CHROMIUM_ARGS });
}

/* A browser context that lets through only requests to the test server
   and records every other one in `offsite` (and aborts it). */
export async function guardedContext(browser, host, offsite, options = {}) {
  const context = await browser.newContext({ locale: 'zh-CN', ...options });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    let ok = false;
    try {
      const u = new URL(url);
      ok = u.host === host && u.protocol === 'http:';
    } catch {
      ok = false;
    }
    if (ok) return route.continue();
    note(offsite, route.request());
    return route.abort('blockedbyclient');
  });
  context.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return;
    try {
      if (new URL(url).host === host) return;
    } catch {
      /* fall through */
    }
    note(offsite, request);
  });
  return context;
}

function note(offsite, request) {
  let from = '';
  try {
    from = request.frame().url();
  } catch {
    /* a service worker or a detached frame */
  }
  const line = `${request.url()} (${request.resourceType()}, from ${from || 'unknown'})`;
  if (!offsite.includes(line)) offsite.push(line);
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/* Runs axe-core on the page with the WCAG 2.0/2.1 A and AA rules. Works with
   page JavaScript off too (evaluation goes through the DevTools protocol). */
export async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(AXE_SOURCE);
  }
  return page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
}

export const BLOCKING = new Set(['serious', 'critical']);

/* "[serious] color-contrast (help) — url" and one line per element. */
export function describeViolations(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes.slice(0, 8)) {
      const summary = (n.failureSummary || '').replace(/\s*\n\s*/g, ' ');
      lines.push(`    ${n.target.join(' ')}\n      ${n.html.slice(0, 160)}\n      ${summary}`);
    }
    if (v.nodes.length > 8) lines.push(`    … and ${v.nodes.length - 8} more`);
  }
  return lines.join('\n');
}

/* Every file under dir, relative, with forward slashes. */
export function walk(dir, prefix = '') {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...walk(path.join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out;
}
