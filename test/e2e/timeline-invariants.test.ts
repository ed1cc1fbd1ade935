/**
 * Invariants of every run timeline the book shows, checked on real runs: every example with the
 * `timeline` flag is run through the page's own UI in each realm it offers, and the events its
 * timeline drew must tell a consistent story on the run's one clock —
 *  - every event's time (and a span's end) lies within the run: 0 … its duration;
 *  - each thread's moments (log lines, timers, messages, lock and channel operations…), in the
 *    order that thread reported them, are in time order. Spans (a task, a pool chunk) are
 *    reports about the past — a long task is reported by the browser after it — so only their
 *    bounds are checked;
 *  - the axis, fitted, spans the run: from 0 to just past its end.
 * Examples show behaviour; these hold for any run, so a clock mix-up cannot hide behind one.
 */
import type { Page } from 'playwright-core';
import type { RunTimeline } from '../../src/client/timeline/element.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseRealm, contentExamples, exampleLocator, runAndWait } from '../support/examples.ts';
import { servedSite } from './served-site.ts';

const site = servedSite();

const pages = contentExamples()
  .pages.map((page) => ({ ...page, examples: page.examples.filter((example) => example.timeline) }))
  .filter((page) => page.examples.length > 0);

it('the book has timeline examples to check', () => {
  expect(pages.length).toBeGreaterThan(0);
});

/** What the page reports of the timeline's events: the violations found, and the numbers. */
interface Checked {
  readonly events: number;
  readonly duration: number | undefined;
  readonly view: { from: number; to: number };
  readonly violations: string[];
}

describe.each(pages)('$file', ({ file, path, examples }) => {
  let page: Page;
  beforeAll(async () => {
    page = await (await site.browser.newContext()).newPage();
    await page.goto(site.server.url + path, { waitUntil: 'load' });
  });
  afterAll(async () => {
    await page?.context().close();
  });

  const cases = examples.flatMap((example) => example.realms.map((realm) => ({ example, realm })));
  it.each(cases)(`${file}:$example.line ($example.id, $realm)`, async ({ example, realm }) => {
    const island = exampleLocator(page, example.id);
    await chooseRealm(island, realm);
    const outcome = await runAndWait(island, example.timeoutMs + 15_000);
    expect(outcome.state, outcome.status).toBe(example.status);

    const timeline = island.locator('run-timeline');
    // The timeline draws in the next frame; wait until it holds the run's final status.
    await timeline.evaluate(
      (node) =>
        new Promise<void>((resolve) => {
          const el = node as unknown as RunTimeline;
          const check = () =>
            el.events.some((e) => e.kind === 'status' && e.state !== 'running')
              ? resolve()
              : requestAnimationFrame(check);
          check();
        }),
    );
    const checked: Checked = await timeline.evaluate((node) => {
      const el = node as unknown as RunTimeline;
      el.fit();
      const events = el.events;
      const final = events.find((e) => e.kind === 'status' && e.state !== 'running');
      const duration = final?.kind === 'status' ? final.durationMs : undefined;
      const violations: string[] = [];
      const say = (e: (typeof events)[number], what: string) =>
        violations.push(`${e.thread.label} ${e.kind} at ${e.t} ms: ${what}`);
      const last = new Map<string, number>();
      for (const e of events) {
        const span =
          e.kind === 'task'
            ? { start: e.t, end: e.t + e.duration }
            : e.kind === 'pool-task'
              ? { start: e.sent, end: e.end }
              : undefined;
        if (!(e.t >= 0)) say(e, 'before the run started');
        if (duration !== undefined && !(e.t <= duration)) say(e, `after the run ended (${duration} ms)`);
        if (span && !(span.start >= 0 && span.start <= span.end && span.end <= (duration ?? Infinity)))
          say(e, `span ${span.start}–${span.end} ms is not within the run (0–${duration} ms)`);
        if (span) continue;
        const previous = last.get(e.thread.label) ?? -Infinity;
        if (e.t < previous) say(e, `earlier than the thread's previous moment (${previous} ms)`);
        last.set(e.thread.label, e.t);
      }
      return { events: events.length, duration, view: el.view, violations };
    });
    expect(checked.duration, 'the run has a duration').toBeTypeOf('number');
    expect(checked.violations).toEqual([]);
    const duration = checked.duration ?? 0;
    expect(checked.view.from).toBe(0);
    expect(checked.view.to).toBeGreaterThanOrEqual(duration);
    expect(checked.view.to).toBeLessThanOrEqual(Math.max(1, duration) * 1.02 + 1e-9);
  });
});
