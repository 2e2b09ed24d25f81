/**
 * @file JSON values <-> NDArray.
 * Input: a parsed JSON number, bool or nested rectangular list, with the strings "NaN", "Infinity",
 * "-Infinity" accepted for floats; problems are ValueError TH063x naming the element's path.
 * Output: numpy's tolist() nesting, NaN/±Infinity as strings, f16/f32 as their shortest repr.
 */
import { isInt, type DType } from '../sema/types.js';
import { fromNumbers, type NDArray } from './ndarray.js';
import { shortestDigits } from './dragon4.js';
import { ValueError } from './value-error.js';

const INT_RANGE: Partial<Record<DType, [number, number]>> = { i32: [-(2 ** 31), 2 ** 31 - 1], u32: [0, 2 ** 32 - 1] };
const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/**
 * Converts a parsed JSON value to an array of `dtype`. Errors (ragged lists, non-numbers, a
 * fractional or NaN value for an integer dtype, out of range) are ValueError with TH06xx codes.
 */
export function jsonToArray(value: unknown, dtype: DType): NDArray {
  const shape = shapeOf(value);
  const values: number[] = [];
  collect(value, shape, 0, [], dtype, values);
  return fromNumbers(dtype, shape, values);
}

/** The shape implied by following the first element down; `collect` checks the rest agree. */
function shapeOf(value: unknown): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

const pathText = (path: number[]): string => (path.length === 0 ? 'the top level' : path.map(i => `[${i}]`).join(''));

function collect(v: unknown, shape: number[], depth: number, path: number[], dtype: DType, out: number[]): void {
  if (depth < shape.length) {
    if (!Array.isArray(v)) {
      throw new ValueError('TH0636', { path: pathText(path), found: describe(v), expected: `lists of ${shape[depth]}` });
    }
    if (v.length !== shape[depth]) {
      throw new ValueError('TH0630', { path: pathText(path), actual: v.length, expected: shape[depth]! });
    }
    v.forEach((item, i) => collect(item, shape, depth + 1, [...path, i], dtype, out));
    return;
  }
  if (Array.isArray(v)) {
    throw new ValueError('TH0636', { path: pathText(path), found: `a list of ${v.length}`, expected: 'scalars' });
  }
  out.push(element(v, pathText(path), dtype));
}

/** One scalar element, checked against the dtype. */
function element(v: unknown, path: string, dtype: DType): number {
  let x: number;
  if (typeof v === 'number') x = v;
  else if (typeof v === 'boolean') x = v ? 1 : 0;
  else if (typeof v === 'string' && v in SPECIAL) x = SPECIAL[v]!;
  else throw new ValueError('TH0631', { path, found: describe(v) });
  const shown = typeof v === 'string' ? `"${v}"` : String(v);
  if (dtype === 'bool') {
    if (x !== 0 && x !== 1) throw new ValueError('TH0635', { path, value: shown });
    return x;
  }
  if (isInt(dtype)) {
    if (!Number.isFinite(x)) throw new ValueError('TH0633', { path, value: shown, dtype });
    if (!Number.isInteger(x)) throw new ValueError('TH0632', { path, value: shown, dtype });
    const [min, max] = INT_RANGE[dtype]!;
    if (x < min || x > max) throw new ValueError('TH0634', { path, value: shown, dtype, min, max });
  }
  return x;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `the string "${v}"`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/** `{dtype, shape, data}`: the array with its type, as `thc run --format json` and `thc graph --format json` print it. */
export function arrayToTypedJson(a: NDArray): { dtype: DType; shape: number[]; data: unknown } {
  return { dtype: a.dtype, shape: [...a.shape], data: arrayToJson(a) };
}

/** Nested lists like numpy's tolist(); bools as true/false; NaN and ±Infinity as strings. */
export function arrayToJson(a: NDArray): unknown {
  const toJson = scalarToJson(a.dtype);
  if (a.shape.length === 0) return toJson(a.data[0]!);
  let pos = 0;
  const build = (axis: number): unknown[] => {
    const n = a.shape[axis]!;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = axis === a.shape.length - 1 ? toJson(a.data[pos++]!) : build(axis + 1);
    return out;
  };
  return build(0);
}

function scalarToJson(dtype: DType): (x: number) => unknown {
  if (dtype === 'bool') return x => x !== 0;
  if (dtype !== 'f16' && dtype !== 'f32' && dtype !== 'f64') return x => x;
  return x => {
    if (Number.isNaN(x)) return 'NaN';
    if (x === Infinity) return 'Infinity';
    if (x === -Infinity) return '-Infinity';
    // f64 prints as JS does already; narrower floats print their own shortest decimal (0.1, not 0.10000000149011612).
    return dtype === 'f64' ? x : Number(shortestDigits(x, dtype));
  };
}
