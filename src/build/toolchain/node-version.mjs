// Fails early, with what to do, when the site or tests run on a Node that Astro 7,
// Vite 8 and Vitest 5 do not support. `npm ci` installs a supported Node into
// node_modules (the `node` devDependency) and `npm run …` puts it first on PATH.

export const MINIMUM_NODE = [22, 12, 0];

/** @param {string} version e.g. "20.20.2" */
export function isSupportedNode(version) {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  const [wantMajor, wantMinor, wantPatch] = MINIMUM_NODE;
  if (major !== wantMajor) return major > wantMajor;
  if (minor !== wantMinor) return minor > wantMinor;
  return patch >= wantPatch;
}

/** @param {string} version */
export function unsupportedNodeMessage(version) {
  return [
    `Interleave needs Node.js >= ${MINIMUM_NODE.join('.')}, but this is Node ${version}.`,
    'Fix: run `npm ci` (it installs Node 24 into node_modules), then use the npm scripts',
    '(`npm run dev`, `npm test`, …), which run that Node. Or install Node 24 yourself',
    '(the version in .nvmrc, e.g. `nvm install`).',
  ].join('\n');
}

/** Throws a readable error on an unsupported Node. */
export function assertSupportedNode(version = process.versions.node) {
  if (!isSupportedNode(version)) throw new Error(unsupportedNodeMessage(version));
}
