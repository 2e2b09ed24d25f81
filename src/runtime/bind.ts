/**
 * @file Binds command-line arguments (`NAME=VALUE`, `NAME=@file.npy|.json`) to an entry point's
 * parameters. Consumes a Graph and the parsed arguments; produces the parameter values (converted
 * to the declared dtypes) and the run-time size of every dimension name, or diagnostics (TH065x)
 * naming the argument. Everything is checked before anything runs: dtype (numpy's "safe" casting
 * for files), rank, constant sizes and symbolic sizes shared between parameters.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { DiagnosticSink } from '../diag/sink.js';
import { makeDiagnostic } from '../diag/diagnostic.js';
import { nearbyNames } from '../diag/suggest.js';
import type { Graph, GraphParam } from '../graph/graph.js';
import { type DType, type TensorType, typeToString } from '../sema/types.js';
import { type Dim, dimNames, evalDim, isAnonymous } from '../sema/dims.js';
import { type NDArray, fromNumbers } from './ndarray.js';
import { ValueError } from './value-error.js';
import { readNpy } from './npy.js';
import { jsonToArray } from './json-value.js';
import { fsReason } from '../cli/fs-reason.js';

/** The right-hand side of `NAME=VALUE`: inline JSON text, or `@path`. */
export type ArgValue = { readonly kind: 'json'; readonly text: string } | { readonly kind: 'file'; readonly path: string };

export interface ArgBinding {
  readonly name: string;
  readonly value: ArgValue;
  /** The argument as typed, for messages. */
  readonly raw: string;
}

export interface BoundCall {
  /** Parameter values by name, in the declared dtypes. */
  readonly params: Map<string, NDArray>;
  /** Run-time sizes of every dimension name of the signature (`n`, `_1`, ...). */
  readonly dims: Map<string, number>;
}

/** File access, replaceable in tests. */
export interface BindIO {
  readFile(path: string): Uint8Array;
}

const fsIO: BindIO = { readFile: p => readFileSync(p) };

/**
 * numpy's `can_cast(from, to, "safe")` restricted to our dtypes: bool goes anywhere; an integer
 * only to itself and f64 (f32 cannot hold every i32); a float to any wider float.
 */
const SAFE_CASTS: Record<DType, readonly DType[]> = {
  bool: ['bool', 'i32', 'u32', 'f16', 'f32', 'f64'],
  i32: ['i32', 'f64'],
  u32: ['u32', 'f64'],
  f16: ['f16', 'f32', 'f64'],
  f32: ['f32', 'f64'],
  f64: ['f64'],
};

export const canCastSafe = (from: DType, to: DType): boolean => SAFE_CASTS[from].includes(to);

/** Converts an array to `dtype` (callers check that the cast is safe first). */
export function convertArray(a: NDArray, dtype: DType): NDArray {
  return a.dtype === dtype ? a : fromNumbers(dtype, a.shape, a.data);
}

/** `f64[2, 3]` for a concrete value (`f64` for a scalar), like typeToString. */
export const valueTypeString = (a: NDArray): string => (a.shape.length ? `${a.dtype}${shapeToString(a.shape)}` : a.dtype);

export const shapeToString = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** The message a ValueError would have as a diagnostic, for embedding in ours. */
export const valueErrorDetail = (e: ValueError): string => makeDiagnostic(e.code, e.args, null).message;

/** Where a value came from, appended to `argument \`x\``: nothing for inline JSON. */
const sourceOf = (v: ArgValue | 'default'): string =>
  v === 'default' ? ' (its default)' : v.kind === 'file' ? ` (from \`${v.path}\`)` : '';

function hasBool(v: unknown): boolean {
  return typeof v === 'boolean' || (Array.isArray(v) && v.some(hasBool));
}

/** What an argument's text or file holds before conversion: parsed JSON, or an array from a .npy. */
type Loaded = { readonly kind: 'json'; readonly value: unknown } | { readonly kind: 'array'; readonly value: NDArray };

/** Reads `@file` (.npy or .json); reports and returns undefined on failure. */
function readArgFile(p: GraphParam, path: string, sink: DiagnosticSink, io: BindIO): Loaded | undefined {
  const ext = extname(path).toLowerCase();
  if (ext !== '.npy' && ext !== '.json') {
    sink.error('TH0660', { name: p.name, path, ext: ext || '(none)' }, null);
    return undefined;
  }
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(path);
  } catch (e) {
    sink.error('TH0659', { name: p.name, path, reason: fsReason(e) }, null);
    return undefined;
  }
  const source = sourceOf({ kind: 'file', path });
  try {
    if (ext === '.npy') return { kind: 'array', value: readNpy(bytes) };
  } catch (e) {
    // Any failure of the reader means a corrupt file from the user's point of view.
    const detail = e instanceof ValueError ? valueErrorDetail(e) : e instanceof Error ? e.message : String(e);
    sink.error('TH0661', { name: p.name, source, detail }, null);
    return undefined;
  }
  try {
    return { kind: 'json', value: JSON.parse(Buffer.from(bytes).toString('utf8')) };
  } catch (e) {
    sink.error('TH0667', { name: p.name, path, detail: (e as Error).message }, null);
    return undefined;
  }
}

/** Parses inline JSON or reads the file; reports and returns undefined on failure. */
function readArg(p: GraphParam, arg: ArgBinding, sink: DiagnosticSink, io: BindIO): Loaded | undefined {
  if (arg.value.kind === 'file') return readArgFile(p, arg.value.path, sink, io);
  try {
    return { kind: 'json', value: JSON.parse(arg.value.text) };
  } catch (e) {
    sink.error('TH0658', { name: p.name, detail: (e as Error).message, text: arg.value.text }, null);
    return undefined;
  }
}

/** Converts a JSON value to the declared dtype; reports and returns undefined on failure. */
function fromJson(p: GraphParam, json: unknown, source: string, sink: DiagnosticSink): NDArray | undefined {
  const declared = { name: p.name, source, type: typeToString(p.type), dtype: p.type.dtype };
  if (json === null || (typeof json === 'object' && !Array.isArray(json))) {
    sink.error('TH0668', { ...declared, what: json === null ? 'null' : 'object' }, null);
    return undefined;
  }
  // JSON booleans are not numbers: `true` for an f32 parameter is almost always a mistake.
  if (p.type.dtype !== 'bool' && hasBool(json)) {
    sink.error('TH0666', declared, p.span);
    return undefined;
  }
  try {
    return jsonToArray(json, p.type.dtype);
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    sink.error('TH0661', { ...declared, detail: valueErrorDetail(e) }, null);
    return undefined;
  }
}

/** Loads one argument's value in the declared dtype; reports and returns undefined on failure. */
function loadArg(p: GraphParam, arg: ArgBinding, sink: DiagnosticSink, io: BindIO): NDArray | undefined {
  const loaded = readArg(p, arg, sink, io);
  if (!loaded) return undefined;
  const source = sourceOf(arg.value);
  if (loaded.kind === 'json') return fromJson(p, loaded.value, source, sink);
  const a = loaded.value;
  if (!canCastSafe(a.dtype, p.type.dtype)) {
    sink.error('TH0662', { name: p.name, source, type: typeToString(p.type), dtype: p.type.dtype, got: a.dtype }, p.span);
    return undefined;
  }
  return convertArray(a, p.type.dtype);
}

/** Records which parameter first bound each dimension name, for "n is 3 from x but 4 from y". */
interface DimBinder {
  readonly dims: Map<string, number>;
  readonly from: Map<string, string>;
  /** Compound dims (`b*n`) checked once every name is bound. */
  readonly deferred: { param: GraphParam; source: string; axis: number; dim: Dim; size: number; shape: readonly number[] }[];
}

/** Checks a value's rank and sizes against `p`'s type, binding dimension names; reports and returns false on failure. */
function checkShape(p: GraphParam, a: NDArray, source: string, binder: DimBinder, sink: DiagnosticSink): boolean {
  const t = p.type;
  const base = { name: p.name, source, type: typeToString(t), shape: shapeToString(a.shape) };
  if (a.shape.length !== t.shape.length) {
    sink.error('TH0663', { ...base, got: a.shape.length, rank: t.shape.length }, p.span);
    return false;
  }
  let ok = true;
  t.shape.forEach((d, axis) => {
    const size = a.shape[axis]!;
    if (typeof d === 'number') {
      if (d !== size) { sink.error('TH0664', { ...base, axis, expected: d, got: size }, p.span); ok = false; }
      return;
    }
    const names = dimNames(d);
    if (names.length !== 1 || names[0] !== d) {
      binder.deferred.push({ param: p, source, axis, dim: d, size, shape: a.shape });
      return;
    }
    const bound = binder.dims.get(d);
    if (bound === undefined) {
      binder.dims.set(d, size);
      binder.from.set(d, p.name);
    } else if (bound !== size && !isAnonymous(d)) {
      sink.error('TH0665', { dim: d, a: bound, first: binder.from.get(d)!, b: size, second: p.name, type: typeToString(t) }, p.span);
      ok = false;
    }
  });
  return ok;
}

function checkDeferred(binder: DimBinder, sink: DiagnosticSink): boolean {
  let ok = true;
  for (const { param, source, axis, dim, size, shape } of binder.deferred) {
    const want = evalDim(dim, binder.dims);
    if (want === undefined || want === size) continue;
    const base = { name: param.name, source, type: typeToString(param.type), shape: shapeToString(shape) };
    sink.error('TH0664', { ...base, axis, expected: `${dim} = ${want}`, got: size }, param.span);
    ok = false;
  }
  return ok;
}

/** Reports unknown and duplicate arguments; returns the first binding of each known name. */
function matchArguments(g: Graph, args: readonly ArgBinding[], sink: DiagnosticSink): Map<string, ArgBinding> {
  const byName = new Map<string, ArgBinding>();
  const paramNames = g.params.map(p => p.name);
  const reportedDup = new Set<string>();
  for (const arg of args) {
    const first = byName.get(arg.name);
    if (first) {
      if (!reportedDup.has(arg.name)) sink.error('TH0657', { name: arg.name, first: first.raw, second: arg.raw }, null);
      reportedDup.add(arg.name);
      continue;
    }
    byName.set(arg.name, arg);
    if (!paramNames.includes(arg.name)) {
      const near = nearbyNames(arg.name, paramNames);
      const help = near.length > 0 ? [{ message: `a parameter with a similar name exists: \`${near[0]}\`` }] : [];
      // No span: the argument exists only on the command line; the note lists what `fn` accepts.
      sink.error('TH0656', { name: arg.name, fn: g.name, names: paramNames.length ? paramNames.join(', ') : '(none)' }, null, { help });
    }
  }
  return byName;
}

/**
 * Binds `args` to `g`'s parameters (defaults fill the rest). Reports every problem it finds and
 * returns undefined when there was any.
 */
export function bindArguments(g: Graph, args: readonly ArgBinding[], sink: DiagnosticSink, io: BindIO = fsIO): BoundCall | undefined {
  const before = sink.errorCount;
  const byName = matchArguments(g, args, sink);
  const binder: DimBinder = { dims: new Map(), from: new Map(), deferred: [] };
  const params = new Map<string, NDArray>();
  for (const p of g.params) {
    const arg = byName.get(p.name);
    let value: NDArray | undefined;
    let source: string;
    if (arg) {
      value = loadArg(p, arg, sink, io);
      source = sourceOf(arg.value);
    } else if (p.default) {
      value = convertArray(p.default, p.type.dtype);
      source = sourceOf('default');
    } else {
      sink.error('TH0655', { name: p.name, fn: g.name, type: typeToString(p.type) }, p.span);
      continue;
    }
    if (value && checkShape(p, value, source, binder, sink)) params.set(p.name, value);
  }
  checkDeferred(binder, sink);
  return sink.errorCount > before ? undefined : { params, dims: binder.dims };
}

/** Describes a concrete value against a declared type: undefined when it fits exactly. */
export function typeMismatch(a: NDArray, t: TensorType, exactDtype: boolean): string | undefined {
  const dtypeOk = exactDtype ? a.dtype === t.dtype : canCastSafe(a.dtype, t.dtype);
  const shapeOk = a.shape.length === t.shape.length && t.shape.every((d, i) => typeof d !== 'number' || d === a.shape[i]);
  return dtypeOk && shapeOk ? undefined : valueTypeString(a);
}
