/**
 * Production builds for the end-to-end suite: one at the root and one under a
 * sub-path, exactly as `npm run build` makes them (SITE_BASE picks the base).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SUB_PATH = '/interleave/';

/**
 * Where this test run keeps its builds: `npm test` gives each run its own folder (so two runs at
 * once never rebuild each other's site mid-test); plain vitest uses test-results/.
 */
export const RUN_DIR = process.env['INTERLEAVE_RUN_DIR'] ?? `${ROOT}test-results`;

export const BUILDS = {
  root: { outDir: `${RUN_DIR}/site-root`, base: '/' },
  subPath: { outDir: `${RUN_DIR}/site-sub-path`, base: SUB_PATH },
} as const;

export type BuildName = keyof typeof BUILDS;

/** Runs `astro build` into outDir; throws with Astro's own output on failure. */
export function buildSite(outDir: string, base: string, extraEnv: Record<string, string> = {}): void {
  const result = spawnSync(
    process.execPath,
    [`${ROOT}node_modules/astro/bin/astro.mjs`, 'build', '--outDir', outDir],
    {
      cwd: ROOT,
      encoding: 'utf8',
      // vitest sets NODE_ENV=test, which would make Astro build a dev-flavoured site.
      env: {
        ...process.env,
        NODE_ENV: 'production',
        SITE_BASE: base,
        ASTRO_TELEMETRY_DISABLED: '1',
        ...extraEnv,
      },
    },
  );
  if (result.status !== 0) {
    throw new Error(`astro build (base ${base}) failed:\n${result.stdout}\n${result.stderr}`);
  }
}
