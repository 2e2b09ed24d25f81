/**
 * @file numpy-style printing: `formatArray(a)` is byte for byte what numpy 2.x `repr(arr)` prints
 * for the same array with default print options (precision 8, floatmode 'maxprec', linewidth 75,
 * threshold 1000, edgeitems 3). A port of numpy/_core/arrayprint.py: element formatters built from
 * the (summarised) data, then `_formatArray`'s line wrapping, then the `dtype=`/`shape=` extras.
 */
import { NUMPY_NAME, type DType } from '../sema/types.js';
import { roundTo, sizeOf, stridesOf, type NDArray } from './ndarray.js';
import { formatPositional, formatScientific, type FloatDType } from './dragon4.js';
import { pyTuple } from './npy.js';

const PRECISION = 8;
const LINEWIDTH = 75;
const THRESHOLD = 1000;
const EDGEITEMS = 3;

/** Element formatter, built once from every element that will be shown. */
type ElementFormat = (x: number) => string;

export function formatArray(a: NDArray): string {
  const prefix = 'array(';
  const size = sizeOf(a.shape);
  const summarise = size > THRESHOLD;
  // array2string subtracts the `)` suffix from the line width.
  const lst = size === 0 ? '[]' : formatBody(a, summarise, LINEWIDTH - 1, ' '.repeat(prefix.length + 1));
  const extras: string[] = [];
  if ((size === 0 && !(a.shape.length === 1 && a.shape[0] === 0)) || summarise) extras.push(`shape=${pyTuple(a.shape)}`);
  if (!(a.dtype === 'f64' || a.dtype === 'bool') || size === 0) extras.push(`dtype=${NUMPY_NAME[a.dtype]}`);
  if (extras.length === 0) return `${prefix}${lst})`;
  const arrStr = `${prefix}${lst},`;
  const extraStr = `${extras.join(', ')})`;
  const lastLineLen = arrStr.length - (arrStr.lastIndexOf('\n') + 1);
  const spacer = lastLineLen + extraStr.length + 1 > LINEWIDTH ? `\n${' '.repeat(prefix.length)}` : ' ';
  return arrStr + spacer + extraStr;
}

// ---------------------------------------------------------------- element formatters

/** The values numpy's `_leading_trailing` keeps: per axis the first and last EDGEITEMS when summarising. */
function shownValues(a: NDArray, summarise: boolean): number[] {
  const out: number[] = [];
  const strides = stridesOf(a.shape);
  const walk = (axis: number, offset: number): void => {
    if (axis === a.shape.length) { out.push(a.data[offset]!); return; }
    const n = a.shape[axis]!;
    for (let i = 0; i < n; i++) {
      if (summarise && n > 2 * EDGEITEMS && i === EDGEITEMS) i = n - EDGEITEMS;
      walk(axis + 1, offset + i * strides[axis]!);
    }
  };
  walk(0, 0);
  return out;
}

function makeFormat(dtype: DType, values: number[], is0d: boolean): ElementFormat {
  switch (dtype) {
    case 'bool': {
      const t = is0d ? 'True' : ' True';
      return x => (x ? t : 'False');
    }
    case 'i32': case 'u32': {
      let lo = 0;
      let hi = 0;
      if (values.length > 0) { lo = Math.min(...values); hi = Math.max(...values); }
      const width = values.length > 0 ? Math.max(String(hi).length, String(lo).length) : 0;
      return x => String(x).padStart(width, ' ');
    }
    default:
      return floatFormat(dtype, values);
  }
}

/** numpy's finfo(dtype).precision: decimal digits the dtype holds. */
const FINFO_PRECISION: Record<FloatDType, number> = { f16: 3, f32: 6, f64: 15 };

/** numpy's FloatingFormat with floatmode 'maxprec', sign '-', suppress_small False. */
function floatFormat(dtype: FloatDType, values: number[]): ElementFormat {
  const round = roundTo(dtype);
  const finite = values.filter(Number.isFinite);
  const nonZero = finite.filter(x => x !== 0).map(Math.abs);
  let exp = false;
  if (nonZero.length > 0) {
    let maxVal = -Infinity;
    let minVal = Infinity;
    for (const v of nonZero) { if (v > maxVal) maxVal = v; if (v < minVal) minVal = v; }
    // The comparisons run in the array's dtype (NEP 50 makes the Python literals weak):
    // 1e-4 becomes f32(1e-4), and max/min rounds (or overflows) in the dtype.
    const cutoffMax = 10 ** Math.min(8, FINFO_PRECISION[dtype]);
    exp = maxVal >= round(cutoffMax) || minVal < round(0.0001) || round(maxVal / minVal) > 1000;
  }
  // First pass: format every finite value to find the widths (numpy's fillFormat).
  let padLeft = 0;
  let padRight = 0;
  let precision = PRECISION;
  let expSize = -1;
  if (finite.length > 0 && exp) {
    const strs = finite.map(x => formatScientific(x, dtype, { precision: PRECISION, minDigits: -1, trim: '.', padLeft: -1, expDigits: -1 }));
    const mant = strs.map(s => s.slice(0, s.indexOf('e')));
    expSize = Math.max(...strs.map(s => s.length - s.indexOf('e') - 1)) - 1;
    precision = Math.max(...mant.map(s => s.length - s.indexOf('.') - 1));
    padLeft = Math.max(...mant.map(s => s.indexOf('.')));
    padRight = expSize + 2 + precision;
  } else if (finite.length > 0) {
    const strs = finite.map(x => formatPositional(x, dtype, { precision: PRECISION, minDigits: -1, trim: '.', padLeft: -1, padRight: -1 }));
    padLeft = Math.max(...strs.map(s => s.indexOf('.')));
    padRight = Math.max(...strs.map(s => s.length - s.indexOf('.') - 1));
  }
  if (finite.length !== values.length) {
    // Non-finite values widen the left padding (of every element) so `nan`/`-inf` line up.
    const negInf = values.some(x => x === -Infinity) ? 1 : 0;
    const offset = padRight + 1;
    padLeft = Math.max(padLeft, 3 - offset, 3 + negInf - offset);
  }
  const call: ElementFormat = exp
    ? x => formatScientific(x, dtype, { precision, minDigits: precision, trim: 'k', padLeft, expDigits: expSize })
    : x => formatPositional(x, dtype, { precision: PRECISION, minDigits: 0, trim: '.', padLeft, padRight });
  const width = padLeft + padRight + 1;
  return x => {
    if (Number.isFinite(x)) return call(x);
    const s = Number.isNaN(x) ? 'nan' : x < 0 ? '-inf' : 'inf';
    return s.padStart(width, ' ');
  };
}

// ---------------------------------------------------------------- layout (numpy's _formatArray)

function formatBody(a: NDArray, summarise: boolean, lineWidth: number, nextLinePrefix: string): string {
  const fmt = makeFormat(a.dtype, shownValues(a, summarise), a.shape.length === 0);
  const strides = stridesOf(a.shape);
  const separator = ', ';
  const recurse = (axis: number, offset: number, hangingIndent: string, currWidth: number): string => {
    if (axis === a.shape.length) return fmt(a.data[offset]!);
    const axesLeft = a.shape.length - axis;
    const nextIndent = hangingIndent + ' ';
    const nextWidth = currWidth - 1;
    const len = a.shape[axis]!;
    const showSummary = summarise && 2 * EDGEITEMS < len;
    const leading = showSummary ? EDGEITEMS : 0;
    const trailing = showSummary ? EDGEITEMS : len;
    const child = (i: number): string => recurse(axis + 1, offset + (i < 0 ? len + i : i) * strides[axis]!, nextIndent, nextWidth);
    let s = '';
    if (axesLeft === 1) {
      const elemWidth = currWidth - Math.max(separator.trimEnd().length, 1);
      let line = hangingIndent;
      const add = (word: string): void => { [s, line] = extendLinePretty(s, line, word, elemWidth, hangingIndent); };
      for (let i = 0; i < leading; i++) { add(child(i)); line += separator; }
      if (showSummary) { [s, line] = extendLine(s, line, '...', elemWidth, hangingIndent); line += separator; }
      for (let i = trailing; i > 1; i--) { add(child(-i)); line += separator; }
      add(child(-1));
      s += line;
    } else {
      const lineSep = separator.trimEnd() + '\n'.repeat(axesLeft - 1);
      for (let i = 0; i < leading; i++) s += hangingIndent + child(i) + lineSep;
      if (showSummary) s += hangingIndent + '...' + lineSep;
      for (let i = trailing; i > 1; i--) s += hangingIndent + child(-i) + lineSep;
      s += hangingIndent + child(-1);
    }
    return `[${s.slice(hangingIndent.length)}]`;
  };
  return recurse(0, 0, nextLinePrefix, lineWidth);
}

function extendLine(s: string, line: string, word: string, lineWidth: number, nextLinePrefix: string): [string, string] {
  // Wrapping cannot help when the line holds nothing but the indent.
  const needsWrap = line.length + word.length > lineWidth && line.length > nextLinePrefix.length;
  if (needsWrap) { s += line.trimEnd() + '\n'; line = nextLinePrefix; }
  return [s, line + word];
}

/** Extends the line with a word that may span several lines (a nested array's text). */
function extendLinePretty(s: string, line: string, word: string, lineWidth: number, nextLinePrefix: string): [string, string] {
  const words = word.split('\n');
  if (words.length === 1) return extendLine(s, line, word, lineWidth, nextLinePrefix);
  const maxLen = Math.max(...words.map(w => w.length));
  let indent: string;
  if (line.length + maxLen > lineWidth && line.length > nextLinePrefix.length) {
    s += line.trimEnd() + '\n';
    line = nextLinePrefix + words[0];
    indent = nextLinePrefix;
  } else {
    indent = ' '.repeat(line.length);
    line += words[0];
  }
  for (const w of words.slice(1)) { s += line.trimEnd() + '\n'; line = indent + w; }
  line += ' '.repeat(maxLen - words[words.length - 1]!.length);
  return [s, line];
}
