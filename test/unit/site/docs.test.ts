/** README, CI and package.json tell the same story. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('README quick start', () => {
  const readme = read('README.md');
  const commands = [...readme.matchAll(/```sh\n(.+)\n```/g)].map((match) => match[1]);

  it('is two commands: one serves the site, one runs the tests', () => {
    expect(commands.slice(0, 2)).toEqual(['npm ci && npm run dev', 'npm ci && npm test']);
  });

  it('is what .ci/run runs', () => {
    expect(read('.ci/run')).toContain(`TEST_COMMAND='${commands[1]}'`);
  });

  it('names every script of package.json, and package.json has the contributor menu', () => {
    const scripts = Object.keys(JSON.parse(read('package.json')).scripts);
    for (const name of ['dev', 'build', 'preview', 'check', 'lint', 'format', 'test', 'bench']) {
      expect(scripts).toContain(name);
    }
    for (const name of scripts) expect(readme).toContain(name === 'test' ? 'npm test' : `npm run ${name}`);
  });

  it('pins the same Node that the node devDependency installs', () => {
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.devDependencies.node).toBe(read('.nvmrc').trim());
    expect(pkg.engines.node).toBe('>=22.12.0');
  });
});
