/**
 * @file The one copy of Chevrotain every syntax module uses (token types, EOF and GAST classes must
 * come from one copy). Loaded from Chevrotain's single-file bundle when present: the package entry
 * point pulls in hundreds of lodash-es modules and takes ~15x longer to load (330 ms against 22 ms
 * here), which every process that parses would pay. The CLI bundle (scripts/bundle.mjs) replaces
 * this module with a static import of that same file, since a CommonJS bundle has no top-level await.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

export const chev: Chevrotain = await (async () => {
  try {
    const entry = createRequire(import.meta.url).resolve('chevrotain');
    const bundle = join(dirname(entry), '..', 'chevrotain.min.mjs');
    if (existsSync(bundle)) return (await import(pathToFileURL(bundle).href)) as Chevrotain;
  } catch {
    // Fall through to the package entry point.
  }
  return import('chevrotain');
})();
