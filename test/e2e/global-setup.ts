import { BUILDS, buildSite } from '../support/site.ts';

// Build once for the whole end-to-end project: the root build and the sub-path build.
export default function setup(): void {
  for (const { outDir, base } of Object.values(BUILDS)) buildSite(outDir, base);
}
