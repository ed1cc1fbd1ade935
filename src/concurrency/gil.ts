/**
 * `interleave/gil`: what a global interpreter lock does and does not do, two ways.
 *
 * (a) {@link runGil}: a deterministic model interpreter. N threads each run a tiny bytecode
 * program; one global interpreter lock (GIL) lets one thread execute bytecode per tick; the holder
 * is asked to drop it after `switchInterval` steps when others wait (CPython's switch interval,
 * counted in steps here instead of 5 ms), and a seeded PRNG plays the OS scheduler picking who
 * takes it next. Blocking I/O, C code that releases the GIL (`NATIVE`) and waiting for a user
 * lock all release the GIL. Every step is recorded in a trace. Same programs + same options =
 * same run, so a chapter can show (and a test can check) an exact interleaving:
 * - `x += 1` is LOAD, ADD, STORE: a switch between LOAD and STORE loses updates *despite* the GIL
 *   (the GIL protects the interpreter, not your data); a user-level LOCK/UNLOCK fixes it;
 * - I/O-bound threads overlap their waits (total ticks ≈ the longest thread, not the sum);
 * - pure-Python CPU work gets no speedup (total ticks ≈ the sum of all threads' work);
 * - with `gil: false` (free-threaded CPython, PEP 703) up to `cores` threads step per tick.
 *
 * (b) {@link runLockedWork}: the same lesson with real threads. N pool workers do CPU chunks that
 * each must hold one shared {@link Mutex} (a "GIL") to run, versus the same chunks with no lock;
 * it returns wall time, per-chunk timings and the most chunks ever running at once.
 *
 * Part (a) is pure computation and runs anywhere; part (b) needs `SharedArrayBuffer` and workers.
 */
import { seededRandom } from './random.ts';
import { Mutex } from './sync.ts';
import { tracer } from './trace.ts';
import type { GilRecord } from './trace.ts';
import { createPool } from './pool.ts';
import type { Pool, Spawn } from './pool.ts';

// ---------------------------------------------------------------------------------------------
// (a) The model interpreter

/** One instruction of the model's bytecode. Each takes one tick, except where noted. */
export type Instr =
  /** Copy a shared variable into the thread's register. */
  | { op: 'LOAD'; name: string }
  /** Add `k` to the register. */
  | { op: 'ADD'; k: number }
  /** Write the register to a shared variable. */
  | { op: 'STORE'; name: string }
  /** Pure-Python CPU work: `units` ticks of bytecode, holding the GIL (switchable between units). */
  | { op: 'CALL'; units: number }
  /** C code that releases the GIL (zlib, hashlib, NumPy): `units` ticks without the GIL. */
  | { op: 'NATIVE'; units: number }
  /** Blocking I/O: releases the GIL and waits `ticks`. */
  | { op: 'IO'; ticks: number }
  /** Acquire a user-level lock (`threading.Lock`); waiting for it releases the GIL. */
  | { op: 'LOCK'; name: string }
  /** Release a user-level lock, handing it to the longest waiter. */
  | { op: 'UNLOCK'; name: string };

export type Program = readonly Instr[];

/** Options of {@link runGil}. */
export interface GilOptions {
  /** Steps a thread may run while others wait for the GIL before it must drop it. Default 5. */
  switchInterval?: number;
  /** Add 0..jitter random steps to each interval (timing noise of a real machine). Default 0. */
  jitter?: number;
  /** Seed of the scheduler's PRNG. Default 1. */
  seed?: number;
  /** false = free-threaded build: no GIL, up to `cores` threads step each tick. Default true. */
  gil?: boolean;
  /** Cores for the free-threaded mode. Default: number of threads. */
  cores?: number;
  /** Initial shared variables. Default `{}` (a missing variable reads as 0). */
  vars?: Record<string, number>;
  /** Stop after this many ticks (a guard for accidental endless runs). Default 1 000 000. */
  maxTicks?: number;
}

/** One thing that happened, at a tick. `thread` is 0-based. */
export type GilEvent =
  | { tick: number; type: 'gil-acquire'; thread: number }
  | {
      tick: number;
      type: 'gil-release';
      thread: number;
      reason: 'switch' | 'io' | 'native' | 'lock-wait' | 'done';
    }
  | { tick: number; type: 'load'; thread: number; name: string; value: number }
  | { tick: number; type: 'add'; thread: number; k: number; value: number }
  | { tick: number; type: 'store'; thread: number; name: string; value: number }
  | { tick: number; type: 'call'; thread: number; unit: number; units: number }
  | { tick: number; type: 'io-start'; thread: number; ticks: number; native: boolean }
  | { tick: number; type: 'io-end'; thread: number; native: boolean }
  | { tick: number; type: 'lock'; thread: number; name: string }
  | { tick: number; type: 'lock-wait'; thread: number; name: string; holder: number }
  | { tick: number; type: 'lock-handoff'; thread: number; name: string; from: number }
  | { tick: number; type: 'unlock'; thread: number; name: string }
  | { tick: number; type: 'done'; thread: number }
  | { tick: number; type: 'deadlock'; threads: readonly number[] };

/** Per-thread totals. */
export interface GilThreadStats {
  /** Ticks spent executing bytecode (or CALL units). */
  steps: number;
  /** Ticks spent in IO or NATIVE code (without the GIL). */
  released: number;
  /** Ticks spent ready but waiting for the GIL. */
  waitingForGil: number;
  /** Ticks spent waiting for a user lock. */
  waitingForLock: number;
  /** Tick at which the thread finished, or undefined. */
  doneAt: number | undefined;
}

/** The outcome of {@link runGil}. */
export interface GilResult {
  /** Shared variables at the end. */
  vars: Record<string, number>;
  /** Ticks until every thread finished (or the run stopped). */
  ticks: number;
  /** For each tick, the thread holding the GIL (null: nobody); empty with `gil: false`. */
  holders: (number | null)[];
  /** For each tick, the threads that executed a step. */
  running: number[][];
  trace: GilEvent[];
  threads: GilThreadStats[];
  /** Every unfinished thread waits for a user lock nobody can release. */
  deadlock: boolean;
  /** The run hit `maxTicks`. */
  truncated: boolean;
}

type Status = 'ready' | 'released' | 'lock-wait' | 'done';

interface ThreadState {
  id: number;
  program: Program;
  pc: number;
  reg: number;
  /** Progress inside a multi-tick CALL. */
  unit: number;
  status: Status;
  /** Ticks left in IO/NATIVE, and the tick it started. */
  left: number;
  since: number;
  native: boolean;
  stats: GilThreadStats;
}

/** An error in a model program (e.g. UNLOCK of a lock the thread does not hold). */
export class GilProgramError extends Error {
  override name = 'GilProgramError';
}

/**
 * Run `programs` (one per thread) under the model. Deterministic for given programs and options.
 * @throws {GilProgramError} on UNLOCK of a lock the thread does not hold, or LOCK of one it holds.
 */
export function runGil(programs: readonly Program[], options: GilOptions = {}): GilResult {
  const interval = options.switchInterval ?? 5;
  const jitter = options.jitter ?? 0;
  const withGil = options.gil ?? true;
  const cores = options.cores ?? programs.length;
  const maxTicks = options.maxTicks ?? 1_000_000;
  if (!(interval >= 1) || !(jitter >= 0) || !(cores >= 1)) {
    throw new RangeError('gil: switchInterval and cores must be >= 1, jitter >= 0');
  }
  const random = seededRandom(options.seed ?? 1);
  const vars: Record<string, number> = { ...options.vars };
  const trace: GilEvent[] = [];
  const holders: (number | null)[] = [];
  const running: number[][] = [];
  const locks = new Map<string, { owner: number; waiters: number[] }>();
  const threads: ThreadState[] = programs.map((program, id) => ({
    id,
    program,
    pc: 0,
    reg: 0,
    unit: 0,
    status: program.length > 0 ? 'ready' : 'done',
    left: 0,
    since: -1,
    native: false,
    stats: {
      steps: 0,
      released: 0,
      waitingForGil: 0,
      waitingForLock: 0,
      doneAt: program.length > 0 ? undefined : 0,
    },
  }));

  let holder: number | null = null;
  let held = 0; // steps the holder has run since it took the GIL
  let quantum = interval;
  let tick = 0;
  let deadlock = false;
  // Only with a tracer (the run timeline): each thread's state run by run, merged into spans.
  const trackSpans = tracer !== null;
  type SpanState = GilRecord['spans'][number]['state'];
  const spans: { thread: number; from: number; to: number; state: SpanState }[] = [];
  const open: ({ thread: number; from: number; to: number; state: SpanState } | undefined)[] = [];
  const mark = (thread: number, state: SpanState | undefined): void => {
    const last = open[thread];
    if (last && last.state === state && last.to === tick) {
      last.to = tick + 1;
      return;
    }
    if (state === undefined) {
      open[thread] = undefined;
      return;
    }
    const span = { thread, from: tick, to: tick + 1, state };
    spans.push(span);
    open[thread] = span;
  };

  const pick = (candidates: number[]): number =>
    candidates[Math.floor(random() * candidates.length)] as number;
  const readyIds = (): number[] => threads.filter((t) => t.status === 'ready').map((t) => t.id);
  const release = (reason: 'switch' | 'io' | 'native' | 'lock-wait' | 'done'): void => {
    if (holder === null) return;
    trace.push({ tick, type: 'gil-release', thread: holder, reason });
    holder = null;
  };
  const acquire = (id: number): void => {
    holder = id;
    held = 0;
    quantum = interval + (jitter > 0 ? Math.floor(random() * (jitter + 1)) : 0);
    trace.push({ tick, type: 'gil-acquire', thread: id });
  };

  /** Execute one step of thread `t` (one tick of its current instruction). */
  const step = (t: ThreadState): void => {
    const ins = t.program[t.pc] as Instr;
    t.stats.steps++;
    let finished = true;
    switch (ins.op) {
      case 'LOAD':
        t.reg = vars[ins.name] ?? 0;
        trace.push({ tick, type: 'load', thread: t.id, name: ins.name, value: t.reg });
        break;
      case 'ADD':
        t.reg += ins.k;
        trace.push({ tick, type: 'add', thread: t.id, k: ins.k, value: t.reg });
        break;
      case 'STORE':
        vars[ins.name] = t.reg;
        trace.push({ tick, type: 'store', thread: t.id, name: ins.name, value: t.reg });
        break;
      case 'CALL':
        t.unit++;
        trace.push({ tick, type: 'call', thread: t.id, unit: t.unit, units: ins.units });
        finished = t.unit >= ins.units;
        if (finished) t.unit = 0;
        break;
      case 'IO':
      case 'NATIVE': {
        const native = ins.op === 'NATIVE';
        const ticks = native ? ins.units : ins.ticks;
        t.status = 'released';
        t.left = ticks;
        t.since = tick;
        t.native = native;
        finished = false; // the pc moves on when the wait is over
        trace.push({ tick, type: 'io-start', thread: t.id, ticks, native });
        if (withGil && holder === t.id) release(native ? 'native' : 'io');
        break;
      }
      case 'LOCK': {
        const lock = locks.get(ins.name);
        if (!lock) {
          locks.set(ins.name, { owner: t.id, waiters: [] });
          trace.push({ tick, type: 'lock', thread: t.id, name: ins.name });
        } else {
          if (lock.owner === t.id)
            throw new GilProgramError(`gil: thread ${t.id} LOCK of ${ins.name}, which it already holds`);
          lock.waiters.push(t.id);
          t.status = 'lock-wait';
          finished = false; // the pc moves on when the lock is handed over
          trace.push({ tick, type: 'lock-wait', thread: t.id, name: ins.name, holder: lock.owner });
          if (withGil && holder === t.id) release('lock-wait');
        }
        break;
      }
      case 'UNLOCK': {
        const lock = locks.get(ins.name);
        if (!lock || lock.owner !== t.id) {
          throw new GilProgramError(`gil: thread ${t.id} UNLOCK of ${ins.name}, which it does not hold`);
        }
        trace.push({ tick, type: 'unlock', thread: t.id, name: ins.name });
        const next = lock.waiters.shift();
        if (next === undefined) {
          locks.delete(ins.name);
        } else {
          lock.owner = next;
          const w = threads[next] as ThreadState;
          w.status = 'ready';
          w.pc++; // its LOCK instruction has now completed
          trace.push({ tick, type: 'lock-handoff', thread: next, name: ins.name, from: t.id });
        }
        break;
      }
    }
    if (finished) t.pc++;
    if (t.pc >= t.program.length && t.status === 'ready') {
      t.status = 'done';
      t.stats.doneAt = tick + 1;
      trace.push({ tick, type: 'done', thread: t.id });
      if (withGil && holder === t.id) release('done');
    }
  };

  while (threads.some((t) => t.status !== 'done')) {
    if (tick >= maxTicks) break;
    // Threads whose I/O or native call has finished want the GIL again.
    for (const t of threads) {
      if (t.status === 'released' && t.left <= 0) {
        t.status = 'ready';
        t.pc++;
        trace.push({ tick, type: 'io-end', thread: t.id, native: t.native });
        if (t.pc >= t.program.length) {
          t.status = 'done';
          t.stats.doneAt = tick;
          trace.push({ tick, type: 'done', thread: t.id });
        }
      }
    }
    const ready = readyIds();
    if (ready.length === 0 && threads.every((t) => t.status === 'done' || t.status === 'lock-wait')) {
      const stuck = threads.filter((t) => t.status === 'lock-wait').map((t) => t.id);
      if (stuck.length > 0) {
        deadlock = true;
        trace.push({ tick, type: 'deadlock', threads: stuck });
      }
      break;
    }
    const ran: number[] = [];
    if (withGil) {
      if (holder !== null && held >= quantum) {
        const others = ready.filter((id) => id !== holder);
        if (others.length > 0) {
          release('switch');
          acquire(pick(others));
        }
      }
      if (holder === null && ready.length > 0) acquire(pick(ready));
      holders.push(holder);
      if (holder !== null) {
        const t = threads[holder] as ThreadState;
        ran.push(t.id);
        held++;
        step(t);
      }
    } else {
      // Free-threaded: up to `cores` ready threads step this tick, in a random order.
      const order = [...ready];
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      for (const id of order.slice(0, cores)) {
        const t = threads[id] as ThreadState;
        if (t.status !== 'ready') continue;
        ran.push(id);
        step(t);
      }
    }
    if (trackSpans) {
      for (const t of threads) {
        const ranNow = ran.includes(t.id);
        mark(
          t.id,
          ranNow
            ? 'holds-gil'
            : t.status === 'released'
              ? 'released'
              : t.status === 'lock-wait'
                ? 'lock-wait'
                : t.status === 'ready'
                  ? 'waits-gil'
                  : undefined,
        );
      }
    }
    for (const t of threads) {
      if (t.status === 'released') {
        if (t.since === tick) continue; // the tick that started the wait was a step
        t.left--;
        t.stats.released++;
      } else if (t.status === 'lock-wait') {
        t.stats.waitingForLock++;
      } else if (t.status === 'ready' && !ran.includes(t.id)) {
        t.stats.waitingForGil++;
      }
    }
    running.push(ran);
    tick++;
  }

  if (trackSpans && tracer) {
    tracer({
      type: 'gil',
      threads: threads.length,
      ticks: tick,
      withGil,
      spans,
      switches: trace.filter((e) => e.type === 'gil-release' && e.reason === 'switch').length,
      deadlock,
    });
  }
  return {
    vars,
    ticks: tick,
    holders,
    running,
    trace,
    threads: threads.map((t) => t.stats),
    deadlock,
    truncated: tick >= maxTicks && threads.some((t) => t.status !== 'done'),
  };
}

/**
 * `x += 1`, `times` times, as three steps: LOAD, ADD, STORE. CPython's `dis` lists four bytecodes
 * (the load of the constant 1 touches nothing shared, so the model folds it into ADD).
 */
export function incrementProgram(times: number, name = 'x'): Program {
  const out: Instr[] = [];
  for (let i = 0; i < times; i++) out.push({ op: 'LOAD', name }, { op: 'ADD', k: 1 }, { op: 'STORE', name });
  return out;
}

/** `with lock: x += 1`, `times` times: the fix for the lost update. */
export function lockedIncrementProgram(times: number, name = 'x', lock = 'lock'): Program {
  const out: Instr[] = [];
  for (let i = 0; i < times; i++) {
    out.push(
      { op: 'LOCK', name: lock },
      { op: 'LOAD', name },
      { op: 'ADD', k: 1 },
      { op: 'STORE', name },
      { op: 'UNLOCK', name: lock },
    );
  }
  return out;
}

/** Pure-Python CPU work: `units` ticks of bytecode. */
export function cpuProgram(units: number): Program {
  return [{ op: 'CALL', units }];
}

/** `requests` blocking I/O calls of `ticks` each, with `cpu` ticks of Python work around each. */
export function ioProgram(requests: number, ticks: number, cpu = 1): Program {
  const out: Instr[] = [];
  for (let i = 0; i < requests; i++) out.push({ op: 'CALL', units: cpu }, { op: 'IO', ticks });
  return out;
}

/** C code that releases the GIL (e.g. hashing a big buffer): `units` ticks without it. */
export function nativeProgram(units: number, cpu = 1): Program {
  return [
    { op: 'CALL', units: cpu },
    { op: 'NATIVE', units },
  ];
}

/** Render a trace as short lines ("t12 T1 LOAD x → 5"), for printing in examples. */
export function formatTrace(trace: readonly GilEvent[], limit = Infinity): string[] {
  const lines: string[] = [];
  for (const e of trace) {
    if (lines.length >= limit) break;
    const who = 'thread' in e ? `T${e.thread}` : '';
    let what: string;
    switch (e.type) {
      case 'gil-acquire':
        what = 'takes the GIL';
        break;
      case 'gil-release':
        what = `drops the GIL (${e.reason})`;
        break;
      case 'load':
        what = `LOAD ${e.name} → ${e.value}`;
        break;
      case 'add':
        what = `ADD ${e.k} → ${e.value}`;
        break;
      case 'store':
        what = `STORE ${e.name} ← ${e.value}`;
        break;
      case 'call':
        what = `CALL ${e.unit}/${e.units}`;
        break;
      case 'io-start':
        what = `${e.native ? 'NATIVE' : 'IO'} for ${e.ticks} ticks (GIL released)`;
        break;
      case 'io-end':
        what = `${e.native ? 'NATIVE' : 'IO'} finished`;
        break;
      case 'lock':
        what = `LOCK ${e.name}`;
        break;
      case 'lock-wait':
        what = `waits for ${e.name} (held by T${e.holder})`;
        break;
      case 'lock-handoff':
        what = `gets ${e.name} from T${e.from}`;
        break;
      case 'unlock':
        what = `UNLOCK ${e.name}`;
        break;
      case 'done':
        what = 'done';
        break;
      case 'deadlock':
        what = `deadlock: ${e.threads.map((t) => `T${t}`).join(', ')} wait forever`;
        break;
    }
    lines.push(`t${e.tick} ${who} ${what}`.replace('  ', ' '));
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// (b) Real workers that must hold one global lock

/** Options of {@link runLockedWork}. */
export interface LockedWorkOptions {
  /** Worker threads. */
  workers: number;
  /** Number of CPU chunks. */
  chunks: number;
  /** Loop iterations of CPU work per chunk. */
  iterations: number;
  /** true: every chunk must hold one shared Mutex (a "GIL") while it computes. */
  withLock: boolean;
  /** Reuse a pool (it must have `workers` workers); otherwise one is created and terminated. */
  pool?: Pool;
  /** How to start workers when no pool is given (Node: `nodeSpawn`). */
  spawn?: Spawn;
}

/** One chunk's time holding the lock (or just computing, without the lock). */
export interface LockedChunk {
  worker: number;
  chunk: number;
  /** When the chunk started computing (after taking the lock) and finished (before releasing it). */
  start: number;
  end: number;
}

/** The outcome of {@link runLockedWork}. */
export interface LockedWorkResult {
  withLock: boolean;
  workers: number;
  wallMs: number;
  chunks: LockedChunk[];
  /** The most chunks that were ever computing at the same moment (1 whenever the lock is used). */
  maxConcurrent: number;
  /** Checksum of the work, identical with and without the lock. */
  checksum: number;
}

interface ChunkInput {
  lock: SharedArrayBuffer | null;
  meter: SharedArrayBuffer;
  iterations: number;
  seed: number;
}

/**
 * The task each worker runs. Self-contained (it is sent as source text): it takes the lock with
 * the same futex protocol as sync.ts's {@link Mutex} (state word at index 0: 0 free, 1 locked,
 * 2 contended), so the lock is an ordinary Mutex's buffer. `meter` counts chunks inside the
 * critical part: [0] now, [1] the maximum seen.
 */
function lockedChunk(input: ChunkInput): { start: number; end: number; value: number } {
  const lock = input.lock ? new Int32Array(input.lock) : null;
  const meter = new Int32Array(input.meter);
  if (lock && Atomics.compareExchange(lock, 0, 0, 1) !== 0) {
    while (Atomics.exchange(lock, 0, 2) !== 0) Atomics.wait(lock, 0, 2);
  }
  const start = performance.timeOrigin + performance.now();
  const inside = Atomics.add(meter, 0, 1) + 1;
  for (let max = Atomics.load(meter, 1); inside > max; max = Atomics.load(meter, 1)) {
    if (Atomics.compareExchange(meter, 1, max, inside) === max) break;
  }
  // Plain modular arithmetic: an int32 LCG with Math.imul was seen to deoptimise in workers.
  let x = input.seed % 1000003;
  for (let i = 0; i < input.iterations; i++) x = (x * 31 + 7) % 1000003;
  Atomics.sub(meter, 0, 1);
  const end = performance.timeOrigin + performance.now();
  if (lock && Atomics.sub(lock, 0, 1) !== 1) {
    Atomics.store(lock, 0, 0);
    Atomics.notify(lock, 0, 1);
  }
  return { start, end, value: x };
}

/**
 * N workers doing CPU chunks, each of which must hold one shared Mutex (`withLock: true`) or
 * not. With the lock, only one chunk computes at any moment, so more workers bring no speedup:
 * the "N threads under one GIL" picture, with real threads.
 */
export async function runLockedWork(options: LockedWorkOptions): Promise<LockedWorkResult> {
  const pool =
    options.pool ?? createPool({ size: options.workers, ...(options.spawn ? { spawn: options.spawn } : {}) });
  try {
    const mutex = options.withLock ? new Mutex() : null;
    const meter = new SharedArrayBuffer(8);
    const inputs: ChunkInput[] = Array.from({ length: options.chunks }, (_, i) => ({
      lock: mutex ? mutex.handle.buffer : null,
      meter,
      iterations: options.iterations,
      seed: i + 1,
    }));
    const stats = await pool.mapWithStats(lockedChunk, inputs, { chunkSize: 1 });
    const checksum = stats.results.reduce((sum, r) => sum + r.value, 0);
    return {
      withLock: options.withLock,
      workers: pool.size,
      wallMs: stats.wallMs,
      chunks: stats.tasks.map((t) => {
        const r = stats.results[t.chunk] as { start: number; end: number };
        return { worker: t.worker, chunk: t.chunk, start: r.start, end: r.end };
      }),
      maxConcurrent: new Int32Array(meter)[1] as number,
      checksum,
    };
  } finally {
    if (!options.pool) pool.terminate();
  }
}
