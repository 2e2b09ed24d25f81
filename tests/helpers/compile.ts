/**
 * @file In-memory compile helpers for sema tests: the entry is `/virtual/main.th` (shown as
 * `main.th`), other files come from a map keyed by path relative to `/virtual/`, and
 * `/virtual/stdlib/*.th` falls back to the repository's real stdlib. Diagnostics are compared as
 * `CODE line:col` (entry file) or `CODE file:line:col` (other files, `/virtual/` stripped).
 */
import { readFileSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { compileSource, type CompileResult } from '../../src/pipeline.js';
import type { Diagnostic } from '../../src/diag/diagnostic.js';
import type { Graph } from '../../src/graph/graph.js';
import { typeToString } from '../../src/sema/types.js';
import { repoPath } from './paths.js';

export const VIRTUAL = '/virtual/';

export interface CompileOpts {
  readonly entry?: string;
  /** Use the repository's stdlib folder itself (so its listing feeds module-name suggestions). */
  readonly realStdlib?: boolean;
}

export function compileText(src: string, files: Readonly<Record<string, string>> = {}, opts: CompileOpts = {}): CompileResult {
  const stdlibDir = opts.realStdlib ? repoPath('stdlib') : `${VIRTUAL}stdlib`;
  const readFile = (abs: string): string | undefined => {
    if (opts.realStdlib && abs.startsWith(stdlibDir)) {
      try { return readFileSync(abs, 'utf8'); } catch { return undefined; }
    }
    if (!abs.startsWith(VIRTUAL)) return undefined;
    const rel = abs.slice(VIRTUAL.length);
    if (rel in files) return files[rel];
    if (rel.startsWith('stdlib/')) {
      try { return readFileSync(repoPath(rel), 'utf8'); } catch { return undefined; }
    }
    return undefined;
  };
  return compileSource(
    { source: src, path: `${VIRTUAL}main.th`, displayName: 'main.th' },
    { host: { readFile, stdlibDir }, ...(opts.entry !== undefined ? { entry: opts.entry } : {}) },
  );
}

/** `TH0201 3:14` for the entry file, `TH0201 lib.th:1:5` elsewhere, `TH0209` with no position. */
export function diagLine(d: Diagnostic): string {
  const p = d.primary?.span;
  if (!p) return d.code;
  const file = p.file === 'main.th' ? '' : `${p.file.startsWith(VIRTUAL) ? p.file.slice(VIRTUAL.length) : p.file}:`;
  return `${d.code} ${file}${p.line}:${p.col}`;
}

export function diagLines(r: CompileResult): string[] {
  return r.diagnostics.map(diagLine);
}

/** Asserts the exact list of diagnostics (errors and warnings), in report order. */
export function expectDiag(src: string, expected: readonly string[], files: Readonly<Record<string, string>> = {}, opts: CompileOpts = {}): CompileResult {
  const r = compileText(src, files, opts);
  assert.equal(diagLines(r), [...expected], `diagnostics of:\n${src}\n${r.diagnostics.map(d => `${diagLine(d)}: ${d.message}`).join('\n')}`);
  return r;
}

/** The single diagnostic of a program (asserting its code and position), for message checks. */
export function onlyDiag(src: string, expected: string, files: Readonly<Record<string, string>> = {}): Diagnostic {
  const r = expectDiag(src, [expected], files);
  return r.diagnostics[0]!;
}

export function expectOk(src: string, files: Readonly<Record<string, string>> = {}, opts: CompileOpts = {}): CompileResult {
  const r = compileText(src, files, opts);
  assert.equal(r.diagnostics.map(d => `${diagLine(d)}: ${d.message}`), [], `unexpected diagnostics in:\n${src}`);
  return r;
}

export function graphOf(r: CompileResult, fn: string): Graph {
  const g = r.graphs?.entries.find(e => e.name === fn);
  assert.ok(g, `no graph for ${fn}`);
  return g!;
}

/** Asserts that `fn`'s first output has type `type` (e.g. `f32[n, 784]`) and nothing was reported. */
export function expectType(src: string, fn: string, type: string, files: Readonly<Record<string, string>> = {}): void {
  const r = expectOk(src, files);
  const out = graphOf(r, fn).outputs[0];
  assert.ok(out, `${fn} has no output`);
  assert.is(typeToString(out!.node.type), type, `type of ${fn} in:\n${src}`);
}
