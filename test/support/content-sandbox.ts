/**
 * A throw-away copy of the project for tests and benchmarks that add or break
 * content: they write into the copy's content/ folder and build it, so the
 * working tree (and anyone building it at the same time) never sees a
 * half-written or deliberately broken chapter. The copy lives in
 * test-results/ (git-ignored) inside the project, so packages resolve from the
 * project's node_modules by the ordinary parent-folder lookup (a symlinked
 * node_modules confuses Vite), and it keeps src/content/docs -> ../../content,
 * so it builds exactly as the real project does, with its own .astro cache. Always `dispose()` it (in `finally` / `afterAll`).
 * A sandbox for `astro dev` lives in .cache/ instead: Vite's file watcher ignores every path
 * under a test-results folder, so a dev server there would never see an edit.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './site.ts';

/** What a project build reads, besides node_modules. */
const PROJECT_FILES = ['astro.config.mjs', 'package.json', 'tsconfig.json', 'src', 'content', 'public'];

export interface BuildResult {
  ok: boolean;
  /** stdout and stderr, ANSI colours removed */
  output: string;
  milliseconds: number;
}

export interface Sandbox {
  readonly root: string;
  /** Writes a file relative to the sandbox root (folders are created). */
  write(path: string, text: string): void;
  /** `astro build` into `<root>/dist` (or outDir); never throws on a failed build. */
  build(options?: { base?: string; outDir?: string }): BuildResult;
  /** Starts `astro dev` on the port (create the sandbox with `{ watched: true }`). */
  dev(port: number): DevServer;
  dispose(): void;
}

export interface DevServer {
  /** everything the server has printed so far, ANSI colours removed */
  output(): string;
  /** the exit code once the server has exited by itself, else undefined */
  exitCode(): number | null | undefined;
  stop(): Promise<void>;
}

export function createSandbox({ watched = false } = {}): Sandbox {
  const parent = join(ROOT, watched ? '.cache' : 'test-results');
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(join(parent, 'sandbox-'));
  const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };
  for (const entry of PROJECT_FILES) {
    // verbatimSymlinks keeps src/content/docs relative, pointing at the copy's content/.
    cpSync(join(ROOT, entry), join(root, entry), { recursive: true, verbatimSymlinks: true });
  }
  return {
    root,
    write(path, text) {
      const target = join(root, path);
      mkdirSync(join(target, '..'), { recursive: true });
      writeFileSync(target, text);
    },
    build({ base = '/', outDir = join(root, 'dist') } = {}) {
      const started = performance.now();
      const result = spawnSync(
        process.execPath,
        [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', outDir],
        {
          cwd: root,
          encoding: 'utf8',
          env: { ...env, NODE_ENV: 'production', SITE_BASE: base },
        },
      );
      return {
        ok: result.status === 0,
        output: `${result.stdout}\n${result.stderr}`.replace(/\u001b\[[0-9;]*m/g, ''),
        milliseconds: performance.now() - started,
      };
    },
    dev(port) {
      const server: ChildProcess = spawn(
        process.execPath,
        [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'dev', '--port', String(port)],
        { cwd: root, env: { ...env, NODE_ENV: 'development' } },
      );
      let output = '';
      const collect = (chunk: Buffer) => (output += chunk.toString().replace(/\u001b\[[0-9;]*m/g, ''));
      server.stdout?.on('data', collect);
      server.stderr?.on('data', collect);
      let exitCode: number | null | undefined;
      let stopping = false;
      const exited = new Promise<void>((resolve) =>
        server.once('exit', (code) => {
          if (!stopping) exitCode = code;
          resolve();
        }),
      );
      return {
        output: () => output,
        exitCode: () => exitCode,
        async stop() {
          stopping = true;
          if (server.exitCode === null && server.signalCode === null) server.kill();
          await exited;
        },
      };
    },
    dispose() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
