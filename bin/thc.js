#!/usr/bin/env node
// thc: the command line. Start-up time is a measured target, so this runs the one-file bundle
// dist/thc.cjs (scripts/bundle.mjs) through a V8 code cache when the bundle is current, and
// otherwise the compiled modules under dist/src (after a plain `tsc`, for example).
import { readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const bundle = `${dist}thc.cjs`;

/** The bundle, if it was built after the modules it was made from (else undefined). */
function currentBundle() {
  try {
    return statSync(bundle).mtimeMs >= statSync(`${dist}src/cli/main.js`).mtimeMs ? readFileSync(bundle, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the bundle as a CommonJS module compiled with V8's code cache (what Node 22's
 * module.enableCompileCache does for every module). A missing or rejected cache (another Node
 * version) is rewritten after the command, atomically; a read-only install just runs uncached.
 */
function loadBundle(source) {
  let cachedData;
  try { cachedData = readFileSync(`${bundle}.cache`); } catch { cachedData = undefined; }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapper, { filename: bundle, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dist.slice(0, -1));
  const saveCache = cachedData === undefined || script.cachedDataRejected
    ? () => {
      try {
        const tmp = `${bundle}.cache.${process.pid}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, `${bundle}.cache`);
      } catch {
        // A read-only install: run without a cache.
      }
    }
    : () => {};
  // Code run by vm.Script cannot import(): the bundle imports its external packages (`webgpu`,
  // for the GPU commands) through this module's import() instead.
  module.exports.setImporter?.(specifier => import(specifier));
  return { main: module.exports.main, saveCache };
}

const source = currentBundle();
const { main, saveCache } = source !== undefined ? loadBundle(source) : { ...(await import('../dist/src/cli/main.js')), saveCache: () => {} };
process.exitCode = await main(process.argv.slice(2));
saveCache();
