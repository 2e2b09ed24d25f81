/** @file Paths for tests: the repository root, whether tests run from source or from dist/. */
import { fileURLToPath } from 'node:url';
import { dirname, join, basename } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
/** Repository root (tests compile to dist/tests/helpers, sources live in tests/helpers). */
export const ROOT = basename(dirname(dirname(here))) === 'dist' ? dirname(dirname(dirname(here))) : dirname(dirname(here));
export const repoPath = (...parts: string[]): string => join(ROOT, ...parts);
