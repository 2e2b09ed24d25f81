/**
 * @file File-backed snapshots (esbuild's snapshot files): one file per suite under tests/snapshots/,
 * blocks `### key`, body, then a line of `=`. `expect` compares a text with its stored block;
 * `finish` (the suite's last test) fails on stored blocks no test produced. UPDATE_SNAPSHOTS=1
 * rewrites the file from what the suite produced instead of comparing.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as assert from 'uvu/assert';

const SEPARATOR = '='.repeat(72);
export const UPDATE_SNAPSHOTS = process.env['UPDATE_SNAPSHOTS'] === '1';

export interface Snapshots {
  /** Asserts that `actual` is the stored block `key` (records it under UPDATE_SNAPSHOTS=1). */
  expect(key: string, actual: string): void;
  /** Writes the file (UPDATE_SNAPSHOTS=1) or fails on stale blocks. */
  finish(): void;
}

function readBlocks(file: string): Map<string, string> {
  const out = new Map<string, string>();
  let text = '';
  try { text = readFileSync(file, 'utf8'); } catch { return out; }
  for (const block of text.split(`\n${SEPARATOR}\n`)) {
    const m = /^### (.+)\n([\s\S]*)$/.exec(block.trim() === '' ? '' : block.replace(/^\n+/, ''));
    if (m) out.set(m[1]!, m[2]!.replace(/\n$/, ''));
  }
  return out;
}

export function snapshots(file: string): Snapshots {
  const stored = readBlocks(file);
  const produced = new Map<string, string>();
  return {
    expect(key, actual) {
      produced.set(key, actual);
      if (UPDATE_SNAPSHOTS) return;
      const want = stored.get(key);
      assert.ok(want !== undefined, `no snapshot for "${key}": run with UPDATE_SNAPSHOTS=1`);
      assert.fixture(actual, want!, `snapshot ${key}`);
    },
    finish() {
      if (UPDATE_SNAPSHOTS) {
        mkdirSync(dirname(file), { recursive: true });
        const blocks = [...produced].sort(([a], [c]) => a.localeCompare(c)).map(([k, v]) => `### ${k}\n${v}\n`);
        writeFileSync(file, blocks.join(`${SEPARATOR}\n`));
        return;
      }
      const stale = [...stored.keys()].filter(k => !produced.has(k));
      assert.equal(stale, [], 'snapshot entries no test produced (run with UPDATE_SNAPSHOTS=1 to drop them)');
    },
  };
}
