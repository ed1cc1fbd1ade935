/**
 * Timeline benchmark for `npm run bench` (`npm run bench -- timeline`): starts `astro dev` (Vite
 * serves the source modules, with the isolation headers), opens a page in headless Chromium and
 * runs src/client/timeline/measure.ts there. See that module for what each figure means.
 * Targets from the issue: tracing overhead <= 10 % for a run of 10,000 events, and no main-thread
 * task over 50 ms while the timeline renders. Figures only; nothing is asserted.
 */
import { spawn } from 'node:child_process';
import { launchChromium } from '../support/browser.ts';
import { ROOT } from '../support/site.ts';
import type { BenchRow } from './concurrency.ts';

const PORT = 4391;

async function startDev(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [`${ROOT}node_modules/astro/bin/astro.mjs`, 'dev', '--port', String(PORT), '--host', '127.0.0.1'], {
    cwd: ROOT,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${PORT}/`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`astro dev exited:\n${output}`);
    try {
      if ((await fetch(url)).ok) return { url, stop: () => child.kill('SIGTERM') };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGTERM');
  throw new Error(`astro dev did not start:\n${output}`);
}

export default async function benchTimeline(): Promise<BenchRow[]> {
  const dev = await startDev();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    // The isolation service worker may reload the page once on a first visit: let it settle.
    await page.goto(dev.url, { waitUntil: 'load' });
    await page.waitForTimeout(2000);
    await page.goto(dev.url, { waitUntil: 'load' });
    await page.waitForTimeout(500);
    const isolated = await page.evaluate(() => crossOriginIsolated);
    if (!isolated) throw new Error('the dev page is not cross-origin isolated');
    const figures = await page.evaluate(async () => {
      const path = '/src/client/timeline/measure.ts';
      const module = (await import(/* @vite-ignore */ path)) as { measureTimeline(rounds: number): Promise<Record<string, number>> };
      return module.measureTimeline(7);
    });
    const round = (n: number | undefined, digits = 1) => Number((n ?? NaN).toFixed(digits));
    return [
      { name: 'timeline.trace.mutex.overhead', value: round(figures['trace.mutex.overhead']), unit: '%', note: `worker, ${figures['trace.mutex.events']} events, 5,000 lock/unlock around ~200 mod-mults; untraced ${round(figures['trace.mutex.untracedMs'])} ms; target <= 10 %` },
      { name: 'timeline.trace.mutex.perEvent', value: round(figures['trace.mutex.perEventUs'], 2), unit: 'µs/event' },
      { name: 'timeline.trace.csp.overhead', value: round(figures['trace.csp.overhead']), unit: '%', note: `main thread, ${figures['trace.csp.events']} events, 1,650 ping-pong round trips; untraced ${round(figures['trace.csp.untracedMs'])} ms; target <= 10 %` },
      { name: 'timeline.trace.csp.perEvent', value: round(figures['trace.csp.perEventUs'], 2), unit: 'µs/event' },
      { name: 'timeline.render.sync', value: round(figures['render.ms']), unit: 'ms', note: `layout + draw of ${figures['render.events']} events` },
      { name: 'timeline.render.longestTask', value: round(figures['render.longestTask']), unit: 'ms', note: '0 = no task over 50 ms; target <= 50 ms' },
      ...Object.entries(figures)
        .filter(([key]) => key.startsWith('render.longestTask.'))
        .map(([key, value]) => ({ name: `timeline.${key}`, value: round(value), unit: 'ms' })),
    ];
  } finally {
    await browser.close();
    dev.stop();
  }
}
