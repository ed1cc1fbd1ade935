/**
 * A vitest reporter that keeps the record of a run: the projects it selected, and for each test
 * file each project ran, when it started and ended (wall clock) and how each of its tests ended.
 * Written to `<run dir>/run-record.json` (test/support/site.ts RUN_DIR) after every file, so
 * that it is readable while the run goes on:
 * - by the coverage guard (test/engines/coverage.test.ts, which runs after every other project),
 *   to count what each engine really ran;
 * - by `npm test` (test/suite.ts), which prints each project's wall time from it at the end.
 * vitest's JSON report names neither a file's project nor its wall time (it spans its tests
 * only, without the hooks that load the pages), hence this record.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { ROOT, RUN_DIR } from './site.ts';

export interface RecordedTest {
  /** The names of its describes and its own, outermost first. */
  readonly path: readonly string[];
  readonly state: 'passed' | 'failed' | 'skipped' | 'pending';
}

export interface RecordedFile {
  readonly project: string;
  /** Path from the project root. */
  readonly file: string;
  /** Wall-clock milliseconds (Date.now()) when the file started and ended. */
  readonly start: number;
  readonly end: number;
  readonly tests: readonly RecordedTest[];
}

export interface RunRecord {
  /** The projects the run selected (all of them, or those named with --project). */
  readonly projects: readonly string[];
  readonly files: readonly RecordedFile[];
}

/** Read when used, not at import: `npm test` names the run's folder after importing this. */
export function runRecordPath(): string {
  return `${process.env['INTERLEAVE_RUN_DIR'] ?? RUN_DIR}/run-record.json`;
}

export function readRunRecord(path = runRecordPath()): RunRecord {
  return JSON.parse(readFileSync(path, 'utf8')) as RunRecord;
}

export default class RunRecordReporter implements Reporter {
  #projects: string[] = [];
  #files: RecordedFile[] = [];
  #started = new Map<TestModule, number>();

  onInit(vitest: Vitest): void {
    this.#projects = vitest.projects.map((project) => project.name);
    this.#write();
  }

  onTestModuleStart(module: TestModule): void {
    this.#started.set(module, Date.now());
  }

  onTestModuleEnd(module: TestModule): void {
    const tests = [...module.children.allTests()].map((test) => {
      const path = [test.name];
      for (let parent = test.parent; parent.type === 'suite'; parent = parent.parent)
        path.unshift(parent.name);
      return { path, state: test.result().state };
    });
    this.#files.push({
      project: module.project.name,
      file: relative(ROOT, module.moduleId),
      start: this.#started.get(module) ?? Date.now(),
      end: Date.now(),
      tests,
    });
    this.#write();
  }

  #write(): void {
    const path = runRecordPath();
    mkdirSync(dirname(path), { recursive: true });
    const record: RunRecord = { projects: this.#projects, files: this.#files };
    writeFileSync(path, JSON.stringify(record));
  }
}

/** Minutes and seconds, e.g. "12:05". */
export function clock(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * Each project's wall time (its first file's start to its last file's end: projects overlap when
 * they run side by side) with its slowest files' own.
 */
export function timingReport(record: RunRecord, slowest = 4): string[] {
  if (!record.files.length) return ['no test file ran'];
  const lines = ['wall time by project (m:ss; projects overlap when they run side by side):'];
  const projects = [...new Set(record.files.map((file) => file.project))];
  for (const project of projects) {
    const files = record.files.filter((file) => file.project === project);
    const start = Math.min(...files.map((file) => file.start));
    const end = Math.max(...files.map((file) => file.end));
    lines.push(`  ${project.padEnd(9)} ${clock(end - start).padStart(6)}  (${files.length} files)`);
    for (const file of [...files].sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, slowest))
      lines.push(`      ${clock(file.end - file.start).padStart(6)}  ${file.file}`);
  }
  return lines;
}
