/**
 * Exploring every interleaving: stateless and depth first (each schedule is a fresh run), with
 * an optional reduction by sleep sets that skips schedules which only reorder commuting steps.
 */
import { plural } from './format-value.ts';
import { bareChoice, ModelRun } from './run.ts';
import { formatSchedule } from './schedule-text.ts';
import type { Choice, Counterexample, ExploreOptions, ExploreReport, Footprint, Setup } from './types.ts';

export async function explore(setup: Setup, options: ExploreOptions): Promise<ExploreReport> {
  const maxSchedules = options.maxSchedules ?? 100_000;
  const runOptions = { maxSteps: options.maxSteps ?? 10_000, locate: false };
  const reduce = options.reduce ?? false;
  /**
   * For each depth of the current schedule: the moves possible there, which one it took, and (when
   * reducing) the sleep set — moves whose every continuation an earlier branch already covered.
   */
  const frames: Frame[] = [];
  const outcomes = new Map<string, { outcome: string; count: number; schedule: readonly Choice[] }>();
  const problems = new Map<string, Counterexample & { count: number }>();
  let schedules = 0;
  let pruned = 0;
  let complete = true;

  for (;;) {
    if (schedules === maxSchedules) {
      complete = false;
      break;
    }
    const run = await ModelRun.create(setup, runOptions);
    let blocked = false;
    for (let depth = 0; run.ending.kind === 'running'; depth++) {
      if (depth === frames.length) {
        const footprints = run.footprints();
        const moves = run
          .moves()
          .map((m) => ({ choice: bareChoice(m), footprint: footprints.get(m.thread)! }));
        const parent = frames.at(-1);
        const sleep = reduce && parent ? childSleep(parent) : [];
        const first = moves.findIndex((m) => !sleep.some((s) => same(s.choice, m.choice)));
        frames.push({ moves, taken: first, sleep, done: [] });
        if (first === -1) {
          // Every move here sleeps: each continuation is equivalent to one explored already.
          blocked = true;
          break;
        }
      }
      await run.choose(frames[depth]!.moves[frames[depth]!.taken]!.choice);
    }
    if (blocked) {
      pruned++;
      frames.pop();
      if (!backtrack(frames)) break;
      continue;
    }
    const { schedule, ending } = run.execution();
    schedules++;
    if (ending.kind === 'done') {
      const entry = outcomes.get(ending.outcome);
      if (entry) entry.count++;
      else outcomes.set(ending.outcome, { outcome: ending.outcome, count: 1, schedule });
    } else {
      const entry = problems.get(ending.message);
      if (!entry)
        problems.set(ending.message, { kind: ending.kind, message: ending.message, schedule, count: 1 });
      else {
        entry.count++;
        if (schedule.length < entry.schedule.length) problems.set(ending.message, { ...entry, schedule });
      }
    }
    frames.length = schedule.length;
    if (!backtrack(frames)) break;
  }

  const problemList = [...problems.values()];
  const shortestFailure = problemList.reduce<Counterexample | null>(
    (best, p) =>
      best === null || p.schedule.length < best.schedule.length
        ? { kind: p.kind, message: p.message, schedule: p.schedule }
        : best,
    null,
  );
  const outcomeList = [...outcomes.values()];
  const summary = [
    `${complete ? 'Explored every schedule' : `Stopped after ${maxSchedules} schedules (not every one)`}: ${plural(schedules, 'schedule')}.`,
    ...outcomeList.map((o) => `${o.outcome}: ${plural(o.count, 'schedule')}`),
    ...problemList.map(
      (p) =>
        `${p.kind === 'deadlock' ? 'deadlock' : p.kind === 'limit' ? 'step limit' : 'failed'} in ${plural(p.count, 'schedule')}: ${p.message}`,
    ),
    ...(shortestFailure
      ? [
          `Shortest failing schedule: ${formatSchedule(shortestFailure.schedule)} (${plural(shortestFailure.schedule.length, 'step')})`,
        ]
      : []),
  ];
  return {
    schedules,
    pruned,
    complete,
    outcomes: outcomeList,
    problems: problemList,
    shortestFailure,
    summary,
  };
}

interface Sleeper {
  readonly choice: Choice;
  readonly footprint: Footprint;
}

type Frame = { moves: Sleeper[]; taken: number; sleep: Sleeper[]; done: Sleeper[] };

function same(a: Choice, b: Choice): boolean {
  return a.thread === b.thread && a.branch === b.branch;
}

/** The sleep set after taking the frame's move: what slept or was done here and commutes with it. */
function childSleep(frame: Frame): Sleeper[] {
  const taken = frame.moves[frame.taken]!;
  return [...frame.sleep, ...frame.done].filter(
    (s) => s.choice.thread !== taken.choice.thread && !dependent(s.footprint, taken.footprint),
  );
}

/** Moves the deepest frame with a move left to it; false when the search is over. */
function backtrack(frames: Frame[]): boolean {
  while (frames.length > 0) {
    const frame = frames.at(-1)!;
    frame.done.push(frame.moves[frame.taken]!);
    const next = frame.moves.findIndex(
      (m, i) => i > frame.taken && !frame.sleep.some((s) => same(s.choice, m.choice)),
    );
    if (next !== -1) {
      frame.taken = next;
      return true;
    }
    frames.pop();
  }
  return false;
}

/** Whether two steps of different threads may not commute (conservative: when unsure, they may not). */
export function dependent(a: Footprint, b: Footprint): boolean {
  if ((!a.all && a.objects.length === 0) || (!b.all && b.objects.length === 0)) return false;
  if (a.readOnly && b.readOnly) return false;
  if (a.all || b.all) return true;
  return a.objects.some((o) => b.objects.includes(o));
}
