import { describe, expect, it } from 'vitest';
import { HealthMeter } from '../../../src/client/example/meter.ts';
import { OutputPanel, renderLine } from '../../../src/client/example/output.ts';
import type { RunEvent } from '../../../src/runner/index.ts';
import { frame } from '../../support/wait.ts';

const main = { id: 0, label: 'main' } as const;
const worker = { id: 1, label: 'worker 1' } as const;
const log = (text: string, t = 1, thread: RunEvent['thread'] = main): RunEvent => ({
  kind: 'log',
  level: 'log',
  text,
  depth: 0,
  thread,
  t,
});

describe('output panel', () => {
  it('renders each line as text with its thread and time', () => {
    const line = renderLine(log('<b>not bold</b>', 12.34, worker));
    expect(line.querySelector('b')).toBeNull();
    expect(line.querySelector('.ix-text')?.textContent).toBe('<b>not bold</b>');
    expect(line.querySelector('.ix-where')?.textContent).toBe('worker 1');
    expect(line.querySelector('.ix-time')?.textContent).toBe('12 ms');
    expect(line.dataset['out']).toBe('');
  });

  it('shows an error with the line and column in the reader’s code', () => {
    const line = renderLine({
      kind: 'error',
      source: 'uncaught',
      name: 'Error',
      message: 'boom',
      text: 'Uncaught Error: boom\n    at snippet.js:3:7',
      line: 3,
      column: 7,
      thread: main,
      t: 2,
    });
    expect(line.querySelector('.ix-text')?.textContent).toBe('Uncaught Error: boom');
    expect(line.querySelector('.ix-detail')?.textContent).toContain('line 3, column 7 of your code');
  });

  it('renders a flood in batches, not all in one task', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const panel = new OutputPanel(host);
    panel.reset();
    for (let i = 0; i < 5000; i++) panel.push(log(`line ${i}`));
    await Promise.resolve();
    const first = host.querySelectorAll('.ix-line').length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(200);
    await frame();
    await frame();
    expect(host.querySelectorAll('.ix-line').length).toBeGreaterThan(first);
    panel.flushAll();
    expect(host.querySelectorAll('.ix-line').length).toBe(5000);
    expect(panel.plainText.split('\n').at(-1)).toBe('line 4999');
    host.remove();
  });

  it('ignores status, worker and message events (they belong to the status line and timeline)', () => {
    const host = document.createElement('div');
    const panel = new OutputPanel(host);
    panel.push({ kind: 'status', state: 'running', thread: main, t: 0 });
    panel.push({ kind: 'worker-started', worker, via: 'spawn', thread: main, t: 0 });
    panel.push({ kind: 'message', from: main, to: worker, summary: '1', thread: main, t: 0 });
    panel.flushAll();
    expect(host.querySelectorAll('.ix-line').length).toBe(0);
  });
});

describe('health meter', () => {
  it('records the longest gap between frames, including a block of the main thread', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const meter = new HealthMeter(host);
    meter.start();
    await frame();
    const end = performance.now() + 300;
    while (performance.now() < end) {
      // block the main thread: no frame can be drawn
    }
    await frame();
    await frame();
    meter.stop();
    expect(meter.longestGap).toBeGreaterThanOrEqual(290);
    expect(meter.element.dataset['longestGap']).toBe(String(Math.round(meter.longestGap)));
    expect(meter.element.textContent).toContain(`longest frame gap: ${Math.round(meter.longestGap)} ms`);
    host.remove();
  });
});
