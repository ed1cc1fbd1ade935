import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sidebarSections } from '../../../src/build/site/sidebar.mjs';

const root = mkdtempSync(`${tmpdir()}/sidebar-`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('sidebar sections', () => {
  it('autogenerates one group per content folder that has pages, and skips empty ones', () => {
    mkdirSync(`${root}/chapters/deep`, { recursive: true });
    mkdirSync(`${root}/empty`);
    writeFileSync(`${root}/chapters/deep/a.mdx`, '---\ntitle: A\n---\n');
    const sections = sidebarSections(
      [
        { label: 'Chapters', directory: 'chapters' },
        { label: 'Nothing yet', directory: 'empty' },
        { label: 'Missing', directory: 'missing' },
      ],
      pathToFileURL(`${root}/`),
    );
    expect(sections).toEqual([{ label: 'Chapters', items: [{ autogenerate: { directory: 'chapters' } }] }]);
  });
});
