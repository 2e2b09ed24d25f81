/**
 * @file The shared-variable store of a running program (Theano's shared variables).
 * Consumes a ProgramGraphs' SharedVar list; produces a name -> NDArray store, created from the
 * initialisers or from a `--load-state` .npz (every entry checked against the declarations), updated
 * all at once after each call, and saved atomically (temporary file in the same folder, then rename)
 * so an interrupted `--save-state` never corrupts the previous file. Problems are TH067x diagnostics.
 */
import { readFileSync, openSync, writeSync, fsyncSync, closeSync, renameSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { DiagnosticSink } from '../diag/sink.js';
import type { SharedVar } from '../graph/graph.js';
import { typeToString } from '../sema/types.js';
import type { NDArray } from './ndarray.js';
import { ValueError } from './value-error.js';
import { readNpy } from './npy.js';
import { readNpz, writeNpz } from './npz.js';
import { evaluate, type InterpEnv } from './interp.js';
import { convertArray, typeMismatch, valueErrorDetail } from './bind.js';
import { fsReason, isFsError } from '../cli/fs-reason.js';

/** Shared values by name; replaced (never mutated in place) by updates. */
export type SharedStore = Map<string, NDArray>;

/** File access, replaceable in tests. */
export interface StateIO {
  readFile(path: string): Uint8Array;
  /** Writes `bytes` to `path` durably (the file is flushed before it is renamed over the target). */
  writeFile(path: string, bytes: Uint8Array): void;
  rename(from: string, to: string): void;
  remove(path: string): void;
}

export const fsStateIO: StateIO = {
  readFile: p => readFileSync(p),
  writeFile(p, bytes) {
    const fd = openSync(p, 'w');
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  rename: renameSync,
  remove: p => { try { unlinkSync(p); } catch { /* already gone */ } },
};

/**
 * Why reading a user's file failed. Any exception from a reader counts: a file that crashes the
 * .npy/.npz reader (e.g. a zip library error) is corrupt from the user's point of view.
 */
const fileProblem = (e: unknown): string => (e instanceof ValueError ? valueErrorDetail(e) : fsReason(e));

const emptyEnv: InterpEnv = { params: new Map(), shared: new Map(), dims: new Map() };

/** Evaluates one `load("file.npy")` initialiser; reports and returns undefined on failure. */
function loadInit(v: SharedVar, path: string, span: SharedVar['span'], sink: DiagnosticSink, io: StateIO): NDArray | undefined {
  let a: NDArray;
  try {
    a = readNpy(io.readFile(path));
  } catch (e) {
    const reason = fileProblem(e);
    sink.error('TH0670', { name: v.name, path, reason }, span);
    return undefined;
  }
  const got = typeMismatch(a, v.type, false);
  if (got !== undefined) {
    sink.error('TH0671', { name: v.name, path, got, type: typeToString(v.type) }, v.span);
    return undefined;
  }
  return convertArray(a, v.type.dtype);
}

/** Creates the store from every shared variable's initialiser. */
export function initialState(shared: readonly SharedVar[], sink: DiagnosticSink, io: StateIO = fsStateIO): SharedStore | undefined {
  const store: SharedStore = new Map();
  const exprs = shared.flatMap(v => (v.init.kind === 'expr' ? [{ name: v.name, node: v.init.node }] : []));
  // One evaluate call for all expression initialisers, so shared subexpressions are computed once.
  const values = exprs.length ? evaluate(exprs.map(x => x.node), emptyEnv) : [];
  exprs.forEach((x, i) => store.set(x.name, values[i]!));
  let ok = true;
  for (const v of shared) {
    if (v.init.kind !== 'load') continue;
    const a = loadInit(v, v.init.path, v.init.span, sink, io);
    if (a) store.set(v.name, a); else ok = false;
  }
  // Keep declaration order so saved files list variables the way the program does.
  return ok ? new Map(shared.map(v => [v.name, store.get(v.name)!])) : undefined;
}

/** Reads a `--load-state` file; every shared variable needs an entry of exactly its type, and nothing else may be there. */
export function loadState(shared: readonly SharedVar[], path: string, sink: DiagnosticSink, io: StateIO = fsStateIO): SharedStore | undefined {
  let entries: Map<string, NDArray>;
  try {
    entries = readNpz(io.readFile(path));
  } catch (e) {
    sink.error('TH0672', { path, reason: fileProblem(e) }, null);
    return undefined;
  }
  const before = sink.errorCount;
  const declared = new Set(shared.map(v => v.name));
  const present = [...entries.keys()];
  const store: SharedStore = new Map();
  for (const v of shared) {
    const a = entries.get(v.name);
    if (!a) {
      sink.error('TH0673', { path, name: v.name, names: present.length ? present.join(', ') : '(none)' }, v.span);
      continue;
    }
    const got = typeMismatch(a, v.type, true);
    if (got !== undefined) sink.error('TH0675', { path, name: v.name, got, type: typeToString(v.type) }, v.span);
    else store.set(v.name, a);
  }
  for (const name of present) {
    if (!declared.has(name)) {
      sink.error('TH0674', { path, name, names: shared.length ? shared.map(v => v.name).join(', ') : '(none)' }, null);
    }
  }
  return sink.errorCount > before ? undefined : store;
}

/**
 * Applies one call's updates together: every new value was computed from the pre-call state, so
 * replacing them all after the call is exactly Theano's simultaneous `updates=`.
 */
export function applyUpdates(store: SharedStore, updates: ReadonlyMap<string, NDArray>): void {
  for (const [name, value] of updates) {
    if (!store.has(name)) throw new Error(`update of unknown shared variable ${name}`);
    store.set(name, value);
  }
}

/** Test hook: `THC_TEST_SAVE_FAIL=1` simulates a crash between writing the temporary file and renaming it. */
const simulateSaveFailure = (): boolean => process.env['THC_TEST_SAVE_FAIL'] === '1';

/**
 * Writes every shared variable under its own name to `path` (.npz): first to a temporary file in
 * the same folder (so the rename cannot cross file systems), then renamed over the target, which is
 * atomic on POSIX. On failure the temporary file is removed and the old file is untouched.
 */
export function saveState(store: SharedStore, path: string, sink: DiagnosticSink, io: StateIO = fsStateIO): boolean {
  const target = resolve(path);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    io.writeFile(tmp, writeNpz(store));
    if (simulateSaveFailure()) throw Object.assign(new Error('simulated failure'), { code: 'EIO' });
    io.rename(tmp, target);
    return true;
  } catch (e) {
    io.remove(tmp); // a partial temporary file must not be left behind
    if (!(e instanceof ValueError) && !isFsError(e)) throw e;
    sink.error('TH0676', { path, reason: e instanceof ValueError ? valueErrorDetail(e) : fsReason(e) }, null);
    return false;
  }
}
