// `npm run bench:ui`: the agent flow's weight, load and step timings and memory, each beside a minimal Vue page served by the same server in the same Chromium.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from '@playwright/test';
import vue from '@vitejs/plugin-vue';
import { build } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH, isRoot } from '../support/chromium';
import { REPO_ROOT } from '../support/electron-binary';
import { completeSetupOverHttp, startBrowserShell } from '../support/kiosk';
import { PIN, codeAtStep, currentStep } from '../support/journey';
import type { KeyUri } from '../support/phone';
import { allOf, anyOf, atMost, createReport, quantile } from './figures';

const RENDERER = join(REPO_ROOT, 'out/renderer');
/** The floor page is built beside the renderer for the bench's run only, so the kiosk's own server serves it. */
const FLOOR_DIR = 'bench-floor';
const NAVIGATIONS = Number(process.env.UI_NAVIGATIONS ?? 30);
const SESSIONS = Number(process.env.UI_SESSIONS ?? 100);
/** Loads of each page before the measured ones, left out. */
const WARM_UP_LOADS = 2;
/** The least time an agent spends on scan-qr (phone out, app open, camera on the QR). */
const SCAN_MS = 1000;
/** Let the page and Chromium settle (timers, a GC) before reading memory. */
const SETTLE_MS = 3000;

const report = createReport('ui');

/** What the page records (see the init script below). */
type BenchMarks = { appeared: number; interactive: number; clickAt: number; steps: { step: string; ms: number }[] };
const benchMarks = () => (window as unknown as { __bench: BenchMarks }).__bench;

// ---- weight: the JS a page loads before any input (index.html's entry and its static imports), not the lazy chunks ----
function jsWeight(dir: string): { eager: { min: number; gz: number }; lazy: { min: number; gz: number } } {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const entry = [...html.matchAll(/src="\.\/assets\/([^"]+\.js)"/g)].map((m) => m[1] ?? '');
  const eager = new Set(entry);
  // Follow static imports transitively (a modulepreload link names them too).
  for (const m of html.matchAll(/rel="modulepreload"[^>]*href="\.\/assets\/([^"]+\.js)"/g)) eager.add(m[1] ?? '');
  for (const name of [...eager]) {
    const code = readFileSync(join(dir, 'assets', name), 'utf8');
    for (const m of code.matchAll(/^import\s*(?:[^'"]*from\s*)?["']\.\/([^"']+\.js)["']/gm)) eager.add(m[1] ?? '');
  }
  const chunks = readdirSync(join(dir, 'assets')).filter((name) => name.endsWith('.js'));
  const sizeOf = (names: Iterable<string>) => {
    let min = 0;
    let gz = 0;
    for (const name of names) {
      const bytes = readFileSync(join(dir, 'assets', name));
      min += bytes.length;
      gz += gzipSync(bytes, { level: 9 }).length;
    }
    return { min, gz };
  };
  return { eager: sizeOf(eager), lazy: sizeOf(chunks.filter((name) => !eager.has(name))) };
}

// ---- memory: PSS of every process of the running kiosk (the bench's children: the server and Chromium's tree) ----
function children(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: the fields after its ")" are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      byParent.set(ppid, [...(byParent.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  return byParent;
}

function pssMb(serverPid: number | undefined): { mb: number; processes: number; serverMb: number; largestMb: number } {
  const byParent = children();
  const pids: number[] = [];
  for (let queue = [...(byParent.get(process.pid) ?? [])]; queue.length > 0; ) {
    const pid = queue.shift() ?? 0;
    pids.push(pid);
    queue = [...queue, ...(byParent.get(pid) ?? [])];
  }
  let kb = 0;
  let serverKb = 0;
  let largestKb = 0;
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const pss = Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
      kb += pss;
      if (pid === serverPid) serverKb = pss;
      else largestKb = Math.max(largestKb, pss);
    } catch {
      // Ended meanwhile.
    }
  }
  return { mb: kb / 1024, processes: pids.length, serverMb: serverKb / 1024, largestMb: largestKb / 1024 };
}

/** A full garbage collection in the page, then a pause: memory is read in the steady state an idle kiosk reaches. */
async function settle(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.detach();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

// ---- the floor page, built with the same Vite, plugin and target as the renderer ----
await build({
  root: fileURLToPath(new URL('./floor', import.meta.url)),
  base: './',
  logLevel: 'warn',
  configFile: false,
  plugins: [vue()],
  build: {
    outDir: join(RENDERER, FLOOR_DIR),
    emptyOutDir: true,
    target: 'chrome120',
    modulePreload: { polyfill: false },
  },
});

const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-bench-ui-'));
const shell = await startBrowserShell(dataDir);
const browsers: Browser[] = [];
try {
  await completeSetupOverHttp(shell);
  const { origin, token } = shell;
  const kioskUrl = `${origin}/#token=${token}`;
  const floorUrl = `${origin}/${FLOOR_DIR}/index.html`;

  const launch = async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, chromiumSandbox: !isRoot });
    browsers.push(browser);
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    // Marks, inside the page, when the Start button first exists, when the page is next free to take a click on it,
    // and when each step's heading takes focus after a click.
    await context.addInitScript(() => {
      const marks: BenchMarks = { appeared: -1, interactive: -1, clickAt: -1, steps: [] };
      (window as unknown as { __bench: BenchMarks }).__bench = marks;
      const scheduler = (window as unknown as { scheduler: { postTask: (task: () => void, options: { priority: string }) => void } }).scheduler;
      new MutationObserver(() => {
        if (marks.appeared >= 0 || !document.querySelector('[data-testid="start"]')) return;
        marks.appeared = performance.now();
        // Interactive: the task that drew Start is over (with the layout it forced or left for later), so a click,
        // which Chromium runs at this priority, would now be handled.
        scheduler.postTask(() => (marks.interactive = performance.now()), { priority: 'user-blocking' });
      }).observe(document, { childList: true, subtree: true });
      document.addEventListener('click', () => (marks.clickAt = performance.now()), true);
      document.addEventListener(
        'focusin',
        (event) => {
          if ((event.target as Element).tagName === 'H1' && marks.clickAt >= 0) {
            const step = document.querySelector('main')?.getAttribute('data-step') ?? '';
            marks.steps.push({ step, ms: performance.now() - marks.clickAt });
            marks.clickAt = -1;
          }
        },
        true,
      );
    });
    return { browser, page: await context.newPage() };
  };
  const marks = (page: Page) => page.evaluate(benchMarks);
  const close = async (browser: Browser) => {
    await browser.close();
    browsers.splice(browsers.indexOf(browser), 1);
  };

  // ---- weight ----
  const kioskJs = jsWeight(RENDERER);
  const floorJs = jsWeight(join(RENDERER, FLOOR_DIR));
  report.add({
    id: 'agent-flow-js-gzip',
    label: 'agent-flow JS before any input, gzip',
    value: kioskJs.eager.gz / 1024,
    unit: 'KB',
    floor: floorJs.eager.gz / 1024,
    floorLabel: 'minimal Vue page',
    budget: anyOf(atMost(120)),
    note: `${(kioskJs.eager.min / 1024).toFixed(1)} KB minified (budget 400 KB); lazy chunks ${(kioskJs.lazy.gz / 1024).toFixed(1)} KB gzip`,
  });

  // ---- navigation → interactive: kiosk and floor loads alternated in one page, so both meet the same moments ----
  {
    const { browser, page } = await launch();
    const samples = { kiosk: [] as number[], floor: [] as number[] };
    const appeared = { kiosk: [] as number[], floor: [] as number[] };
    // The first loads of a fresh Chromium (its first renderer, its first requests) are a cold start that only the
    // kiosk, which goes first, would pay: two loads of each are made and left out.
    for (let n = -WARM_UP_LOADS * 2; n < NAVIGATIONS * 2; n += 1) {
      const which = (n + 4) % 4 === 0 || (n + 4) % 4 === 3 ? 'kiosk' : 'floor';
      // From a blank page each time: the same URL with only a fragment would not load the app again.
      await page.goto('about:blank');
      await page.goto(which === 'kiosk' ? kioskUrl : floorUrl);
      await page.getByTestId('start').waitFor();
      await page.waitForFunction(() => (window as unknown as { __bench: BenchMarks }).__bench.interactive >= 0);
      const { appeared: shown, interactive } = await marks(page);
      if (n < 0) continue;
      samples[which].push(interactive);
      appeared[which].push(shown);
    }
    report.add({
      id: 'navigation-interactive-p95',
      label: `navigation → welcome ready for a click on Start, p95 of ${NAVIGATIONS}`,
      value: quantile(samples.kiosk, 0.95),
      unit: 'ms',
      floor: quantile(samples.floor, 0.95),
      floorLabel: 'minimal Vue page, same server and Chromium',
      budget: anyOf(atMost(1.5, 'ratio')),
      // Start merely in the DOM is not yet usable: the floor's first layout comes after it, in the same task, and the
      // kiosk's (forced by the heading's focus) before it. That figure is printed for comparison with earlier runs.
      note: `p50 ${quantile(samples.kiosk, 0.5).toFixed(0)} ms vs ${quantile(samples.floor, 0.5).toFixed(0)} ms; Start in the DOM p95 ${quantile(appeared.kiosk, 0.95).toFixed(0)} ms vs ${quantile(appeared.floor, 0.95).toFixed(0)} ms`,
    });

    // The floor of a step change: a click that makes one request to the same server (as each of the kiosk's does),
    // then flips a ref and focuses the new heading. A bare reactive change, with no request, made ratios of 19-74x.
    await page.goto(`${floorUrl}#token=${token}`);
    for (let n = 0; n < 60; n += 1) await page.locator('main button').click();
    const floorClicks = (await marks(page)).steps.map((s) => s.ms);
    await close(browser);

    // ---- memory of the floor: server + a fresh Chromium showing only the minimal page ----
    const fresh = await launch();
    await fresh.page.goto(floorUrl);
    await fresh.page.getByTestId('start').waitFor();
    await settle(fresh.page);
    const floorPss = pssMb(shell.child.pid);
    await close(fresh.browser);

    // ---- the kiosk: memory idle, then sessions (their step timings), then memory again ----
    const { browser: kioskBrowser, page: kiosk } = await launch();
    await kiosk.goto(kioskUrl);
    await kiosk.getByTestId('start').waitFor();
    await settle(kiosk);
    const idlePss = pssMb(shell.child.pid);

    // One page for every session, as at a station: a leak would show in the memory after them.
    for (let n = 0; n < SESSIONS; n += 1) {
      await kiosk.getByTestId('start').click();
      await kiosk.getByTestId('email').fill(`bench.${n}@agriculture.gouv.fr`);
      await kiosk.getByTestId('submit').click();
      await kiosk.getByTestId('next').click();
      await kiosk.getByTestId('device-name').fill(`phone-${n}`);
      await kiosk.getByTestId('pin').fill(PIN);
      await kiosk.getByTestId('pin-confirm').fill(PIN);
      await kiosk.getByTestId('submit').click();
      // The agent types the secret from "Can't scan?" (screenshots for a QR reader would grow Chromium's own memory).
      await kiosk.getByTestId('reveal-secret').click();
      const key: KeyUri = {
        issuer: '',
        account: '',
        secret: (await kiosk.getByTestId('secret').locator('.secret-groups').innerText()).replace(/\s+/g, ''),
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
      };
      // The agent's time on scan-qr: pointing the phone and reading its first code takes a second at the very
      // least. The PIN's hash runs meanwhile; whatever of it is left, confirm-device waits for (and shows here).
      await new Promise((resolve) => setTimeout(resolve, SCAN_MS));
      await kiosk.getByTestId('next').click();
      const step = currentStep();
      await kiosk.getByTestId('pin').fill(PIN);
      await kiosk.getByTestId('code').fill(codeAtStep(key, step));
      await kiosk.getByTestId('submit').click();
      await kiosk.getByTestId('registered-notice').waitFor();
      await kiosk.getByTestId('next').click();
      await kiosk.getByTestId('method-qr').click();
      await kiosk.getByTestId('reveal-verification-number').click();
      const revealed = await kiosk.getByTestId('verification-number-revealed').innerText();
      await kiosk.getByTestId('verification-number').fill(/\d{2}/.exec(revealed)?.[0] ?? '');
      await kiosk.getByTestId('code').fill(codeAtStep(key, step + 1));
      await kiosk.getByTestId('submit').click();
      await kiosk.getByTestId('finish').click();
      await kiosk.locator('main[data-step="welcome"]').waitFor();
    }
    const steps = (await marks(kiosk)).steps;
    await settle(kiosk);
    const afterPss = pssMb(shell.child.pid);
    await close(kioskBrowser);

    const all = steps.map((s) => s.ms);
    const afterPin = new Set(['scan-qr', 'registered']);
    const pinSteps = steps.filter((s) => afterPin.has(s.step)).map((s) => s.ms);
    const others = steps.filter((s) => !afterPin.has(s.step)).map((s) => s.ms);
    report.add({
      id: 'click-focused-heading-p95',
      label: `click → next step's heading focused, p95 of ${all.length}`,
      value: quantile(all, 0.95),
      unit: 'ms',
      floor: quantile(floorClicks, 0.95),
      floorLabel: 'a click in the minimal page that makes one request to the same server',
      budget: anyOf(atMost(100)),
      note: `p50 ${quantile(all, 0.5).toFixed(0)} ms vs ${quantile(floorClicks, 0.5).toFixed(0)} ms`,
    });
    report.add({
      id: 'click-focused-heading-after-pin-p95',
      label: `  of which after a PIN (scan-qr, registered), p95 of ${pinSteps.length}`,
      value: quantile(pinSteps, 0.95),
      unit: 'ms',
      floor: quantile(others, 0.95),
      floorLabel: 'the other transitions',
      // The agent never waits on a hash: these transitions cost what the others do.
      budget: allOf(atMost(100), atMost(1.5, 'ratio')),
      note: `p50 ${quantile(pinSteps, 0.5).toFixed(0)} ms vs ${quantile(others, 0.5).toFixed(0)} ms; ${[...afterPin]
        .map((id) => `${id} p95 ${quantile(steps.filter((x) => x.step === id).map((x) => x.ms), 0.95).toFixed(0)} ms`)
        .join(', ')}`,
    });
    report.add({
      id: 'pss-idle',
      label: `PSS, kiosk idle on welcome (${idlePss.processes} processes)`,
      value: idlePss.mb,
      unit: 'MB',
      floor: floorPss.mb,
      floorLabel: `minimal page, ${floorPss.processes} processes`,
      // Chromium's own processes are most of both: the kiosk's page and engine should add a quarter at most.
      budget: anyOf(atMost(1.25, 'ratio')),
    });
    report.add({
      id: 'pss-after-sessions',
      label: `PSS after ${SESSIONS} sessions, back on welcome`,
      value: afterPss.mb,
      unit: 'MB',
      floor: floorPss.mb,
      floorLabel: 'minimal page',
      // Sessions leave nothing behind but the log's pages in SQLite's cache and V8's warmed code.
      budget: anyOf(atMost(1.5, 'ratio')),
      note: `${(afterPss.mb - idlePss.mb).toFixed(1)} MB more than idle; server ${idlePss.serverMb.toFixed(0)} → ${afterPss.serverMb.toFixed(0)} MB, largest Chromium process ${idlePss.largestMb.toFixed(0)} → ${afterPss.largestMb.toFixed(0)} MB`,
    });
  }
} finally {
  for (const browser of browsers) await browser.close();
  await shell.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(join(RENDERER, FLOOR_DIR), { recursive: true, force: true });
}
report.print();
