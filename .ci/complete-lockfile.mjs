// Restores lock-file entries for other platforms' native bindings.
//
// Why: the registry these machines reach lacks some platforms' builds of
// optional native packages (for example @astrojs/compiler-binding-darwin-arm64
// at the version Astro needs). npm then writes a lock file without them, and
// `npm ci` refuses that lock file on every platform ("Missing: … from lock
// file"). This adds each missing optional binding back with the os/cpu/libc
// its name declares, so `npm ci` skips it here and fetches it on the platform
// it is for. Run it after `npm install` changes dependencies:
//   node .ci/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

/** napi-rs style platform suffix → package.json platform fields. */
function platformOf(name) {
  const suffix = name.split('/').pop();
  const parts = suffix.split('-');
  const known = {
    darwin: 'darwin',
    linux: 'linux',
    win32: 'win32',
    windows: 'win32',
    android: 'android',
    freebsd: 'freebsd',
  };
  for (let i = 0; i < parts.length; i++) {
    const os = known[parts[i]];
    if (!os) continue;
    const cpu = parts[i + 1];
    const abi = parts[i + 2];
    const fields = { os: [os], cpu: [cpu] };
    if (abi === 'gnu') fields.libc = ['glibc'];
    if (abi === 'musl') fields.libc = ['musl'];
    return fields;
  }
  if (parts.includes('wasm32')) return { cpu: ['wasm32'] };
  return null;
}

function resolve(where, dep) {
  let dir = where;
  for (;;) {
    const key = `${dir ? dir + '/' : ''}node_modules/${dep}`;
    if (key in packages) return key;
    if (!dir) return null;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut === -1 ? '' : dir.slice(0, cut);
  }
}

let added = 0;
for (const [where, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    // Node resolution: the nearest node_modules/<dep> walking up from `where`.
    const resolved = resolve(where, dep);
    if (resolved && packages[resolved].version === version) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+/.test(version)) {
      // an ordinary optional dependency (fsevents, sharp…), not a platform build
      continue;
    }
    const key = resolved ? `${where ? where + '/' : ''}node_modules/${dep}` : `node_modules/${dep}`;
    packages[key] = { version, optional: true, ...platform };
    added++;
  }
}

const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(path, JSON.stringify(lock, null, 2) + '\n');
console.log(`complete-lockfile: added ${added} missing platform binding(s)`);
