/**
 * `model(setup)`: a program, and the ways to run it — along a schedule, at random, every
 * interleaving, or by hand — and `captureProgram`, with which the scheduler panel takes a
 * snippet's program instead of letting the snippet run it.
 */
import { seededRandom } from '../random.ts';
import { ModelError } from './errors.ts';
import { explore } from './explore.ts';
import { plural } from './format-value.ts';
import { ModelRun } from './run.ts';
import { formatSchedule, parseSchedule } from './schedule-text.ts';
import type {
  Choice,
  Execution,
  ExploreOptions,
  ExploreReport,
  ModelMove,
  ModelRunOptions,
  Setup,
} from './types.ts';

export interface Model {
  /** One run following `schedule` (a list or its text); past its end, the first thread that can run. */
  run(schedule?: readonly Choice[] | string, options?: ModelRunOptions): Promise<Execution>;
  /** One run where a PRNG seeded with `seed` picks each step; the same seed gives the same run. */
  random(seed: number, options?: ModelRunOptions): Promise<Execution>;
  /** Every interleaving, depth first, up to the bounds. */
  explore(options?: ExploreOptions): Promise<ExploreReport>;
  /** A run the caller steps through one choice at a time. */
  start(options?: ModelRunOptions): Promise<ModelRun>;
  /**
   * Requires a property of every schedule (up to the bounds): no deadlock, no failed assertion,
   * and — when given — an outcome that `property` accepts (true, or a string saying what is wrong).
   */
  check(property?: (outcome: string) => boolean | string, options?: ExploreOptions): Promise<CheckResult>;
}

/** What {@link Model.check} found. `message` is one line a reader (or an exercise's check) reads. */
export interface CheckResult {
  readonly passed: boolean;
  readonly schedules: number;
  /** "checked 6 schedules: every one passes" or "counterexample: …, schedule 1 2 1 2". */
  readonly message: string;
  /** The failing schedule, when there is one. */
  readonly schedule?: readonly Choice[];
}

/**
 * Thrown by {@link model} while {@link captureProgram} loads a snippet: the snippet stops at its
 * first model, which the caller (the book's scheduler panel) takes to run by hand.
 */
export class ProgramCaptured extends Error {
  override name = 'ProgramCaptured';
}

let capturing: ((setup: Setup) => void) | null = null;

/**
 * Runs `load` (which evaluates a snippet) with {@link model} taking the first program declared
 * instead of returning it: the rest of the snippet does not run. Gives that program's set-up, or
 * null when the snippet declared none.
 */
export async function captureProgram(load: () => Promise<unknown>): Promise<Setup | null> {
  let taken: Setup | null = null;
  capturing = (setup) => {
    taken = setup;
  };
  try {
    await load();
  } catch (error) {
    if (!(error instanceof ProgramCaptured)) throw error;
  } finally {
    capturing = null;
  }
  return taken;
}

/** Picks the next choice from the moves possible at a depth of the schedule. */
type Chooser = (moves: readonly ModelMove[], depth: number) => Choice;

export function model(setup: Setup): Model {
  if (typeof setup !== 'function')
    throw new ModelError('model() takes a set-up function: model(({ shared, thread }) => { … }).');
  if (capturing) {
    capturing(setup);
    throw new ProgramCaptured('The scheduler took this program.');
  }
  const runWith = async (choose: Chooser, options: ModelRunOptions): Promise<Execution> => {
    const run = await ModelRun.create(setup, options);
    for (;;) {
      const moves = run.moves();
      if (run.ending.kind !== 'running') break;
      await run.choose(choose(moves, run.steps.length));
    }
    return run.execution();
  };
  return {
    run: (schedule = [], options = {}) => {
      const choices = typeof schedule === 'string' ? parseSchedule(schedule) : schedule;
      return runWith((moves, depth) => (depth < choices.length ? choices[depth]! : moves[0]!), options);
    },
    random: (seed, options = {}) => {
      const random = seededRandom(seed);
      return runWith((moves) => moves[Math.floor(random() * moves.length)]!, options);
    },
    explore: (options = {}) => explore(setup, options),
    start: (options = {}) => ModelRun.create(setup, options),
    check: (property, options = {}) => check(setup, property, options),
  };
}

async function check(
  setup: Setup,
  property: ((outcome: string) => boolean | string) | undefined,
  options: ExploreOptions,
): Promise<CheckResult> {
  const report = await explore(setup, options);
  const checked = report.complete
    ? plural(report.schedules, 'schedule')
    : `the first ${plural(report.schedules, 'schedule')} (the bound)`;
  const failure = report.shortestFailure;
  if (failure) {
    return {
      passed: false,
      schedules: report.schedules,
      schedule: failure.schedule,
      message: `counterexample: ${failure.message}, schedule ${formatSchedule(failure.schedule)}`,
    };
  }
  for (const { outcome, schedule } of report.outcomes) {
    const verdict = property ? property(outcome) : true;
    if (verdict === true) continue;
    const why = typeof verdict === 'string' && verdict ? verdict : `the outcome ${outcome} is wrong`;
    return {
      passed: false,
      schedules: report.schedules,
      schedule,
      message: `counterexample: ${why} (${outcome}), schedule ${formatSchedule(schedule)}`,
    };
  }
  return { passed: true, schedules: report.schedules, message: `checked ${checked}: every one passes` };
}
