/**
 * A throw-away copy of the project for tests and benchmarks that add or break
 * content: they write into the copy's content/ folder and build it, so the
 * working tree (and anyone building it at the same time) never sees a
 * half-written or deliberately broken chapter. The copy lives in
 * test-results/ (git-ignored) inside the project, so packages resolve from the
 * project's node_modules by the ordinary parent-folder lookup (a symlinked
 * node_modules confuses Vite), and it keeps src/content/docs -> ../../content,
 * so it builds exactly as the real project does, with its own .astro cache. Always `dispose()` it (in `finally` / `afterAll`).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/site.ts';

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
  dispose(): void;
}

export function createSandbox(): Sandbox {
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  const root = mkdtempSync(join(ROOT, 'test-results', 'sandbox-'));
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
          env: { ...process.env, NODE_ENV: 'production', SITE_BASE: base, ASTRO_TELEMETRY_DISABLED: '1' },
        },
      );
      return {
        ok: result.status === 0,
        output: `${result.stdout}\n${result.stderr}`.replace(/\u001b\[[0-9;]*m/g, ''),
        milliseconds: performance.now() - started,
      };
    },
    dispose() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
