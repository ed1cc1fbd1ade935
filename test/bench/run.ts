/**
 * `npm run bench`: runs every benchmark module in this folder and prints one
 * table. Each module default-exports `async () => BenchRow[]`. Figures are for
 * reading and comparing, not for asserting: the machines are shared and noisy.
 * `npm run bench -- site concurrency` runs only the named modules.
 */
import { readdirSync } from 'node:fs';
import { ensureChromium } from '../support/chromium.ts';
import type { BenchRow } from './concurrency.ts';

process.env['ASTRO_TELEMETRY_DISABLED'] = '1';
process.env['CHROME_PATH'] = ensureChromium((line) => console.log(`[bench] ${line}`));

const folder = new URL('.', import.meta.url);
const only = process.argv.slice(2);
const modules = readdirSync(folder)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
  .map((file) => file.replace(/\.ts$/, ''))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

let failures = 0;
for (const name of modules) {
  const started = performance.now();
  console.log(`\n## ${name}`);
  try {
    const { default: bench } = (await import(new URL(`${name}.ts`, folder).href)) as {
      default: () => Promise<BenchRow[]>;
    };
    const rows = await bench();
    const width = Math.max(...rows.map((row) => row.name.length));
    for (const row of rows) {
      console.log(
        `${row.name.padEnd(width)}  ${String(row.value).padStart(12)} ${row.unit}${row.note ? `  (${row.note})` : ''}`,
      );
    }
    console.log(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failures++;
    console.error(`${name} failed: ${(error as Error).stack ?? String(error)}`);
  }
}
process.exit(failures ? 1 : 0);
