/**
 * The GIL trace demo's model and markup, with no DOM: used at build time by GilTrace.astro (so the
 * page shows a real trace without JavaScript) and in the browser by gil-trace.ts (to redraw it).
 *
 * It runs `x += 1` programs under the deterministic GIL model of `interleave/gil` and turns the
 * trace into one lane per thread: at every tick, what each thread did (a bytecode while holding the
 * GIL) or why it did nothing (waiting for the GIL, waiting for the user lock, finished). A STORE
 * that overwrites a value another thread stored after this thread's LOAD is a lost update, and is
 * marked as one.
 */
import { formatTrace, incrementProgram, lockedIncrementProgram, runGil } from '../../concurrency/gil.ts';
import type { GilEvent } from '../../concurrency/gil.ts';

export interface GilTraceOptions {
  /** Threads, 2–4. */
  threads: number;
  /** `x += 1` per thread, 1–5. */
  increments: number;
  /** Steps a thread may run before it is asked to drop the GIL, 1–12. */
  switchInterval: number;
  /** Seed of the model's "OS scheduler", 1–9999. */
  seed: number;
  /** Wrap each increment in a user lock (`with lock: x += 1`). */
  locked: boolean;
}

export const GIL_DEFAULTS: GilTraceOptions = {
  threads: 2,
  increments: 2,
  switchInterval: 4,
  seed: 1,
  locked: false,
};

export const GIL_LIMITS = {
  threads: [2, 4],
  increments: [1, 5],
  switchInterval: [1, 12],
  seed: [1, 9999],
} as const satisfies Record<string, readonly [number, number]>;

/** Clamp user input into the demo's limits (NaN → the default). */
export function normalizeGilOptions(input: Partial<Record<keyof GilTraceOptions, unknown>>): GilTraceOptions {
  const num = (key: keyof typeof GIL_LIMITS): number => {
    const [lo, hi] = GIL_LIMITS[key];
    const n = Math.round(Number(input[key]));
    return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : GIL_DEFAULTS[key];
  };
  const locked = input.locked;
  return {
    threads: num('threads'),
    increments: num('increments'),
    switchInterval: num('switchInterval'),
    seed: num('seed'),
    locked: locked === true || locked === 'true' || locked === '' || locked === 'on',
  };
}

export type CellKind = 'run' | 'lost' | 'wait-gil' | 'wait-lock' | 'done' | 'idle';

/** What one thread did at one tick. */
export interface Cell {
  kind: CellKind;
  /** Short label for the lane (e.g. "L0", "+1", "S1", "lock"). */
  label: string;
  /** Full description (tooltip and table). */
  text: string;
}

export interface GilView {
  options: GilTraceOptions;
  ticks: number;
  /** GIL holder per tick (0-based thread), or null. */
  holders: (number | null)[];
  /** lanes[thread][tick] */
  lanes: Cell[][];
  /** formatTrace lines grouped by tick. */
  byTick: string[][];
  final: number;
  expected: number;
  /**
   * Stale stores: a thread STOREs a value computed from an old LOAD (`read`) over a newer one
   * (`was`, last written by thread `overwrote`), throwing away the increments in between. There are
   * stale stores exactly when updates are lost; one of them can lose more than one update.
   */
  lost: { tick: number; thread: number; overwrote: number; value: number; was: number; read: number }[];
}

function shortLabel(e: GilEvent): string | undefined {
  switch (e.type) {
    case 'load':
      return `L${e.value}`;
    case 'add':
      return `+${e.k}`;
    case 'store':
      return `S${e.value}`;
    case 'lock':
      return 'lock';
    case 'lock-wait':
      return 'wait';
    case 'unlock':
      return 'unl';
    default:
      return undefined;
  }
}

/** Runs the model and builds the lanes. Pure and deterministic. */
export function computeGilView(input: Partial<Record<keyof GilTraceOptions, unknown>> = {}): GilView {
  const options = normalizeGilOptions({ ...GIL_DEFAULTS, ...input });
  const make = options.locked ? lockedIncrementProgram : incrementProgram;
  const programs = Array.from({ length: options.threads }, () => make(options.increments));
  const result = runGil(programs, {
    switchInterval: options.switchInterval,
    seed: options.seed,
    maxTicks: 2000,
  });
  const ticks = result.ticks;
  const lines = formatTrace(result.trace);
  const byTick: string[][] = Array.from({ length: ticks }, () => []);
  result.trace.forEach((e, i) => {
    const at = Math.min(e.tick, ticks - 1);
    byTick[at]?.push((lines[i] ?? '').replace(/^t\d+ /, ''));
  });

  // Step events per (tick, thread); lock-wait state between a lock-wait and its hand-off.
  const steps = new Map<string, GilEvent[]>();
  for (const e of result.trace) {
    if (!('thread' in e)) continue;
    const key = `${e.tick}:${e.thread}`;
    steps.set(key, [...(steps.get(key) ?? []), e]);
  }
  // Lost updates: a STORE over a value that changed since this thread's LOAD throws away the
  // increments stored in between (ours was computed from a stale value).
  const loaded = new Map<number, number>();
  let current = 0;
  let lastWriter = -1;
  const lost: GilView['lost'] = [];
  const lostKeys = new Set<string>();
  for (const e of result.trace) {
    if (e.type === 'load') loaded.set(e.thread, e.value);
    if (e.type === 'store') {
      if (current !== (loaded.get(e.thread) ?? 0) && lastWriter >= 0) {
        const read = loaded.get(e.thread) ?? 0;
        lost.push({
          tick: e.tick,
          thread: e.thread,
          overwrote: lastWriter,
          value: e.value,
          was: current,
          read,
        });
        lostKeys.add(`${e.tick}:${e.thread}`);
      }
      current = e.value;
      lastWriter = e.thread;
    }
  }

  const lanes: Cell[][] = [];
  for (let t = 0; t < options.threads; t++) {
    const lane: Cell[] = [];
    let waitingLock = false;
    const doneAt = result.threads[t]?.doneAt ?? Infinity;
    for (let tick = 0; tick < ticks; tick++) {
      const events = steps.get(`${tick}:${t}`) ?? [];
      const ran = result.running[tick]?.includes(t) ?? false;
      if (events.some((e) => e.type === 'lock-handoff')) waitingLock = false;
      if (ran) {
        const step = events.find((e) => shortLabel(e) !== undefined);
        const label = step ? (shortLabel(step) ?? '') : '';
        const text = events
          .filter((e) => e.type !== 'gil-acquire' && e.type !== 'gil-release')
          .map((e) => formatTrace([e])[0]?.replace(/^t\d+ T\d+ /, '') ?? '')
          .join('; ');
        const isLost = lostKeys.has(`${tick}:${t}`);
        const stale = lost.find((l) => l.tick === tick && l.thread === t);
        lane.push({
          kind: isLost ? 'lost' : 'run',
          label,
          text: stale
            ? `${text} — lost update: it read ${stale.read}, but T${stale.overwrote} had since stored ${stale.was}; that is overwritten`
            : text,
        });
        if (events.some((e) => e.type === 'lock-wait')) waitingLock = true;
      } else if (tick >= doneAt) {
        lane.push({ kind: 'done', label: '', text: 'finished' });
      } else if (waitingLock) {
        lane.push({ kind: 'wait-lock', label: '', text: 'waiting for the user lock (GIL released)' });
      } else {
        lane.push({ kind: 'wait-gil', label: '', text: 'ready, waiting for the GIL' });
      }
    }
    lanes.push(lane);
  }
  return {
    options,
    ticks,
    holders: result.holders,
    lanes,
    byTick,
    final: result.vars['x'] ?? 0,
    expected: options.threads * options.increments,
    lost,
  };
}

const esc = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** One sentence about the outcome. */
export function summaryText(view: GilView): string {
  const { final, expected, options } = view;
  const lostCount = expected - final;
  const setup = `${options.threads} threads × ${options.increments} × \`x += 1\`${options.locked ? ' with a lock' : ''}, switch interval ${options.switchInterval}, seed ${options.seed}`;
  return lostCount > 0
    ? `${setup}: x = ${final}, expected ${expected} — ${lostCount} update${lostCount === 1 ? '' : 's'} lost despite the GIL.`
    : `${setup}: x = ${final}, expected ${expected} — nothing lost this time.`;
}

/** The lanes (a CSS grid, one row per thread) and the table alternative, as HTML. */
export function renderGilView(view: GilView): string {
  const { ticks, lanes, holders, byTick, lost } = view;
  const head = Array.from(
    { length: ticks },
    (_, t) => `<span class="gil-trace__tick" aria-hidden="true">${t}</span>`,
  ).join('');
  const rows = lanes
    .map((lane, thread) => {
      const cells = lane
        .map(
          (c, tick) =>
            `<span class="gil-trace__cell gil-trace__cell--${c.kind}" title="t${tick}: ${esc(c.text)}" data-tick="${tick}" data-kind="${c.kind}">${esc(c.label)}</span>`,
        )
        .join('');
      return `<div class="gil-trace__lane" data-thread="${thread}"><span class="gil-trace__name">T${thread}</span>${cells}</div>`;
    })
    .join('');
  const gilRow = holders
    .map(
      (h, tick) =>
        `<span class="gil-trace__cell gil-trace__cell--holder" title="t${tick}: ${h === null ? 'nobody holds the GIL' : `T${h} holds the GIL`}">${h === null ? '' : `T${h}`}</span>`,
    )
    .join('');
  const tableRows = byTick
    .map((events, tick) => {
      const h = holders[tick];
      const isLost = lost.some((l) => l.tick === tick);
      const what = events.map((e) => esc(e)).join('<br>');
      const mark = isLost
        ? ` <strong class="gil-trace__lost-note">lost update: ${lost
            .filter((l) => l.tick === tick)
            .map(
              (l) =>
                `T${l.thread} read ${l.read} but x is now ${l.was} (stored by T${l.overwrote}); it stores ${l.value}`,
            )
            .join('; ')}</strong>`
        : '';
      return `<tr${isLost ? ' class="gil-trace__row--lost"' : ''}><td>${tick}</td><td>${h === null || h === undefined ? '—' : `T${h}`}</td><td>${what}${mark}</td></tr>`;
    })
    .join('');
  return `<p class="gil-trace__summary" role="status">${esc(summaryText(view)).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>
<div class="gil-trace__scroll" tabindex="0" role="region" aria-label="Trace lanes: one row per thread, one column per tick">
<div class="gil-trace__grid" style="--ticks: ${ticks}" aria-hidden="true">
<div class="gil-trace__lane gil-trace__lane--ticks"><span class="gil-trace__name">tick</span>${head}</div>
<div class="gil-trace__lane gil-trace__lane--gil"><span class="gil-trace__name">GIL</span>${gilRow}</div>
${rows}
</div>
</div>
<p class="gil-trace__legend"><span class="gil-trace__key gil-trace__cell--run">L0</span> runs a bytecode holding the GIL (L = LOAD x → value, +1 = ADD, S = STORE x ← value) ·
<span class="gil-trace__key gil-trace__cell--lost">S1</span> a stale STORE that overwrites another thread's update (the lost update) ·
<span class="gil-trace__key gil-trace__cell--wait-gil"></span> ready, waiting for the GIL ·
<span class="gil-trace__key gil-trace__cell--wait-lock"></span> waiting for the user lock ·
<span class="gil-trace__key gil-trace__cell--done"></span> finished</p>
<details class="gil-trace__details">
<summary>The same trace as a table</summary>
<table class="gil-trace__table"><thead><tr><th scope="col">Tick</th><th scope="col">GIL held by</th><th scope="col">What happened</th></tr></thead><tbody>${tableRows}</tbody></table>
</details>`;
}

/** The form, as HTML; `hidden` until the script is there to run it. */
export function renderGilControls(options: GilTraceOptions, id: string): string {
  const field = (key: keyof typeof GIL_LIMITS, label: string): string => {
    const [lo, hi] = GIL_LIMITS[key];
    return `<label class="gil-trace__field">${label} <input type="number" name="${key}" id="${id}-${key}" min="${lo}" max="${hi}" step="1" value="${options[key]}" inputmode="numeric"></label>`;
  };
  return `<form class="gil-trace__controls" hidden data-js-only>
${field('threads', 'Threads')}
${field('increments', 'Increments per thread')}
${field('switchInterval', 'Switch interval (steps)')}
${field('seed', 'Scheduler seed')}
<label class="gil-trace__field"><input type="checkbox" name="locked"${options.locked ? ' checked' : ''}> with a user lock (<code>with lock: x += 1</code>)</label>
<button type="submit">Run the model</button>
<button type="button" data-action="next-seed">Next seed</button>
</form>`;
}
