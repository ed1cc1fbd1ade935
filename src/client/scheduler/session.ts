/**
 * The scheduler panel's model, with no DOM: one by-hand run of an `interleave/model` program that
 * the reader steps, undoes and restarts, the words the panel shows and announces, and the run as
 * the run timeline's events (so a schedule draws and exports to Mermaid like a real run).
 *
 * State: the current {@link ModelRun} and the schedule that produced it. A run is a pure function
 * of its schedule, so undo is a fresh replay of the schedule without its last choice — nothing
 * is snapshotted, and what the reader sees after undo is exactly what that shorter schedule gives.
 */
import { formatSchedule, ModelRun } from '../../concurrency/model/index.ts';
import type {
  Choice,
  Ending,
  ModelMove,
  ModelRunOptions,
  Setup,
  SourceSite,
  StepRecord,
  ThreadView,
} from '../../concurrency/model/index.ts';
import type { RunEvent, ThreadRef } from '../../runner/index.ts';

/** The file name V8's and SpiderMonkey's stacks give the snippet's code (its sourceURL; load.ts). */
export const SNIPPET_FILE = 'scheduler.js';

/**
 * The blob: URLs load.ts loaded snippets from: JavaScriptCore ignores sourceURL in stacks and
 * names the snippet's frames by that URL instead. One per program loaded.
 */
const snippetURLs = new Set<string>();

export function addSnippetURL(url: string): void {
  snippetURLs.add(url);
}

export class HandSession {
  #run: ModelRun;
  readonly #setup: Setup;
  readonly #options: ModelRunOptions;

  private constructor(setup: Setup, run: ModelRun, options: ModelRunOptions) {
    this.#setup = setup;
    this.#run = run;
    this.#options = options;
  }

  /** A run of `setup`, replayed along `schedule` (empty: at its start). */
  static async open(
    setup: Setup,
    schedule: readonly Choice[] = [],
    options: ModelRunOptions = {},
  ): Promise<HandSession> {
    const run = await replay(setup, schedule, { locate: true, ...options });
    return new HandSession(setup, run, { locate: true, ...options });
  }

  get run(): ModelRun {
    return this.#run;
  }

  get schedule(): Choice[] {
    return this.#run.steps.map((s) => s.choice);
  }

  moves(): ModelMove[] {
    return this.#run.moves();
  }

  /** Runs one step; false (and nothing changes) when `thread` cannot run now. */
  async choose(thread: number, branch?: number): Promise<boolean> {
    const move = this.moves().find(
      (m) => m.thread === thread && (branch === undefined || m.branch === branch),
    );
    if (!move) return false;
    await this.#run.choose(move.branch === undefined ? { thread } : { thread, branch: move.branch });
    return true;
  }

  get canUndo(): boolean {
    return this.#run.steps.length > 0;
  }

  /** Takes back the last step (a replay of the schedule without it). */
  async undo(): Promise<void> {
    if (!this.canUndo) return;
    this.#run = await replay(this.#setup, this.schedule.slice(0, -1), this.#options);
  }

  async restart(): Promise<void> {
    this.#run = await replay(this.#setup, [], this.#options);
  }
}

async function replay(
  setup: Setup,
  schedule: readonly Choice[],
  options: ModelRunOptions,
): Promise<ModelRun> {
  const run = await ModelRun.create(setup, options);
  for (const choice of schedule) await run.choose(choice);
  return run;
}

/** The snippet's line of a step, when the stack named it. */
export function lineOf(site: SourceSite | undefined): number | undefined {
  if (!site) return undefined;
  return site.file.endsWith(SNIPPET_FILE) || snippetURLs.has(site.file) ? site.line : undefined;
}

/** A source line as a label: trimmed, without its trailing semicolon or comment. */
export function lineText(lines: readonly string[], line: number | undefined): string | undefined {
  if (line === undefined) return undefined;
  const text = lines[line - 1]
    ?.replace(/\/\/.*$/, '')
    .trim()
    .replace(/;$/, '');
  return text || undefined;
}

/** What a thread's button says: "Run thread 2: line 5, await x.write(tmp + 1)". */
export function moveLabel(move: ModelMove, threadName: string, lines: readonly string[]): string {
  const line = lineOf(move.site);
  const text = lineText(lines, line);
  const where = line === undefined ? move.action : `line ${line}, ${text ?? move.action}`;
  const branch =
    move.branch === undefined ? '' : move.branch < 0 ? ' (default case)' : ` (case ${move.branch + 1})`;
  return `Run ${threadName}: ${where}${branch}`;
}

/** A thread that cannot run, for its lane: "thread 1: waits for B" / "thread 2: finished". */
export function laneStatus(thread: ThreadView): string {
  if (thread.status === 'done') return `${thread.name}: finished`;
  if (thread.status === 'failed') return `${thread.name}: failed`;
  if (thread.status === 'blocked') return `${thread.name}: ${thread.waits ?? 'waits'}`;
  return `${thread.name}: ready`;
}

/** What a step did, in a sentence: "thread 2 ran line 5, x.write(1)." */
export function describeStep(step: StepRecord, names: ReadonlyMap<number, string>): string {
  const name = names.get(step.choice.thread) ?? `thread ${step.choice.thread}`;
  const line = lineOf(step.site);
  const result = step.result === undefined ? '' : ` → ${step.result}`;
  const partner =
    step.partner === undefined ? '' : `, handed to ${names.get(step.partner) ?? `thread ${step.partner}`}`;
  return `${name} ran ${line === undefined ? '' : `line ${line}, `}${step.action}${result}${partner}.`;
}

/** How the run ended, in a sentence, or undefined while it goes on. */
export function describeEnding(ending: Ending): string | undefined {
  switch (ending.kind) {
    case 'running':
      return undefined;
    case 'done':
      return `Every thread finished: ${ending.outcome}.`;
    case 'deadlock':
      return `Deadlock: ${ending.message}.`;
    case 'failed':
      return `Failed: ${ending.message}.`;
    case 'limit':
      return `Stopped: ${ending.message}.`;
  }
}

/** The share-link fragment of a random run: `#scheduler=<example id>:<seed>`. */
export function randomFragment(exampleId: string, seed: number): string {
  return `#scheduler=${encodeURIComponent(exampleId)}:${seed}`;
}

export function parseRandomFragment(hash: string): { exampleId: string; seed: number } | undefined {
  const match = /^#scheduler=([^:]+):(\d+)$/.exec(hash);
  if (!match) return undefined;
  return { exampleId: decodeURIComponent(match[1]!), seed: Number(match[2]) };
}

export { formatSchedule };

/**
 * A run's steps as run events, one millisecond per step, so that the run timeline draws a
 * schedule with its lanes, lock holds and channel hand-offs, and exports it to Mermaid.
 */
export function scheduleEvents(
  steps: readonly StepRecord[],
  names: ReadonlyMap<number, string>,
  ending: string | undefined,
): RunEvent[] {
  const ref = (id: number): ThreadRef => ({
    id,
    label: `worker ${id}`,
    name: names.get(id) ?? `thread ${id}`,
  });
  const events: RunEvent[] = [];
  steps.forEach((step, index) => {
    const thread = ref(step.choice.thread);
    const t = index + 1;
    const lock = /^(lock|unlock)\((.+)\)$/.exec(step.action);
    if (lock) {
      events.push({
        kind: 'lock',
        thread,
        t,
        what: 'Mutex',
        lock: lock[2]!,
        op: lock[1] === 'lock' ? 'acquire' : 'release',
      });
    }
    const send = /^(.+)\.send\((.*)\)$/.exec(step.action);
    if (send) {
      events.push({
        kind: 'channel',
        thread,
        t,
        op: 'handoff',
        channels: [send[1]!],
        value: send[2]!,
        via: step.partner ? 'direct' : 'buffer',
      });
    }
    const result = step.result === undefined ? '' : ` → ${step.result}`;
    events.push({ kind: 'log', thread, t, level: 'log', text: `${step.action}${result}`, depth: 0 });
  });
  const t = steps.length + 1;
  if (ending)
    events.push({
      kind: 'log',
      thread: ref(steps.at(-1)?.choice.thread ?? 1),
      t,
      level: 'info',
      text: ending,
      depth: 0,
    });
  return events;
}
