/**
 * @file Exact float -> decimal digits, a port of numpy's Dragon4 (dragon4.c, Steele & White /
 * Burger & Dybvig with IEEE unbiased rounding) in its "unique" digit mode, over BigInt.
 * Consumes a finite f16/f32/f64 value; produces numpy's format_float_positional / _scientific
 * strings digit for digit, including the precision cutoff and `min_digits` extension.
 */
import { f32Bits } from './ndarray.js';
import { halfBits } from './half.js';

export type FloatDType = 'f16' | 'f32' | 'f64';

/** Trim modes, named after numpy's `trim=` letters: 'k' keep, '.' zeros, '0' leave one zero, '-' drop point. */
export type Trim = 'k' | '.' | '0' | '-';

interface Parts {
  readonly negative: boolean;
  readonly mantissa: bigint;
  readonly exponent: number;
  readonly mantissaBit: number;
  /** The gap to the next float below is half the gap above (the value is a power of two). */
  readonly unequalMargins: boolean;
}

const LAYOUT: Record<FloatDType, { mant: number; exp: number; bias: number }> = {
  f16: { mant: 10, exp: 5, bias: 15 },
  f32: { mant: 23, exp: 8, bias: 127 },
  f64: { mant: 52, exp: 11, bias: 1023 },
};

const f64buf = new Float64Array(1);
const u64buf = new BigUint64Array(f64buf.buffer);

function bitsOf(x: number, dtype: FloatDType): bigint {
  if (dtype === 'f64') { f64buf[0] = x; return u64buf[0]!; }
  return BigInt(dtype === 'f32' ? f32Bits(x) : halfBits(x));
}

/** Splits a finite value into mantissa * 2^exponent the way dragon4.c's PrintFloat_IEEE_* do. */
function decompose(x: number, dtype: FloatDType): Parts {
  const { mant, exp, bias } = LAYOUT[dtype];
  const bits = bitsOf(x, dtype);
  const fm = bits & ((1n << BigInt(mant)) - 1n);
  const fe = Number((bits >> BigInt(mant)) & ((1n << BigInt(exp)) - 1n));
  const negative = (bits >> BigInt(mant + exp)) !== 0n;
  if (fe !== 0) {
    return { negative, mantissa: (1n << BigInt(mant)) | fm, exponent: fe - bias - mant, mantissaBit: mant, unequalMargins: fe !== 1 && fm === 0n };
  }
  return { negative, mantissa: fm, exponent: 1 - bias - mant, mantissaBit: fm === 0n ? 0 : fm.toString(2).length - 1, unequalMargins: false };
}

const LOG10_2 = 0.30102999566398119521373889472449;
/** numpy's scratch buffer size, which bounds the digits when no cutoff applies. */
const BUFFER_SIZE = 16384;
const pow10 = (n: number): bigint => 10n ** BigInt(n);

/**
 * Dragon4 in unique mode. cutoffMax/cutoffMin (-1 for none) count fraction digits ('fraction')
 * or total digits ('total'). Returns the digits and the base-10 exponent of the first one.
 */
function dragon4(p: Parts, mode: 'fraction' | 'total', cutoffMax: number, cutoffMin: number): { digits: string; exp10: number } {
  if (p.mantissa === 0n) return { digits: '0', exp10: 0 };
  const isEven = p.mantissa % 2n === 0n;
  const e = p.exponent;
  // value = scaled/scale; margins are half the distance to the neighbouring floats.
  const extra = p.unequalMargins ? 2 : 1;
  let value = e > 0 ? p.mantissa << BigInt(e + extra) : p.mantissa << BigInt(extra);
  let scale = e > 0 ? BigInt(2 * extra) : 1n << BigInt(-e + extra);
  let mLow = e > 0 ? 1n << BigInt(e) : 1n;
  const high = (): bigint => (p.unequalMargins ? mLow * 2n : mLow);

  // numpy's estimate of floor(log10(v)) + 1, correct or one too low; replicated for the clamp below.
  let dExp = Math.ceil((p.mantissaBit + e) * LOG10_2 - 0.69);
  if (cutoffMax >= 0 && mode === 'fraction' && dExp <= -cutoffMax) dExp = -cutoffMax + 1;
  if (dExp > 0) scale *= pow10(dExp);
  else if (dExp < 0) { const k = pow10(-dExp); value *= k; mLow *= k; }
  if (value >= scale) dExp += 1;
  else { value *= 10n; mLow *= 10n; }

  let cutMaxExp = dExp - BUFFER_SIZE;
  if (cutoffMax >= 0) cutMaxExp = Math.max(cutMaxExp, mode === 'total' ? dExp - cutoffMax : -cutoffMax);
  let cutMinExp = dExp;
  if (cutoffMin >= 0) cutMinExp = Math.min(cutMinExp, mode === 'total' ? dExp - cutoffMin : -cutoffMin);
  let exp10 = dExp - 1;

  const digits: number[] = [];
  let digit: number;
  let low: boolean;
  let hi: boolean;
  for (;;) {
    dExp -= 1;
    digit = Number(value / scale);
    value %= scale;
    low = isEven ? value <= mLow : value < mLow;
    hi = isEven ? value + high() >= scale : value + high() > scale;
    if (((low || hi) && dExp <= cutMinExp) || dExp === cutMaxExp) break;
    digits.push(digit);
    value *= 10n;
    mLow *= 10n;
  }
  let roundDown = low;
  if (low === hi) {
    const twice = value * 2n;
    roundDown = twice < scale || (twice === scale && digit % 2 === 0);
  }
  if (roundDown) digits.push(digit);
  else if (digit < 9) digits.push(digit + 1);
  else {
    // Carry through trailing nines; all nines become a single 1 at the next exponent.
    while (digits.length > 0 && digits[digits.length - 1] === 9) digits.pop();
    if (digits.length === 0) { digits.push(1); exp10 += 1; } else digits[digits.length - 1]! += 1;
  }
  return { digits: digits.join(''), exp10 };
}

export interface PositionalOptions {
  precision: number;
  minDigits: number;
  trim: Trim;
  padLeft: number;
  padRight: number;
  /** numpy's fractional=True: precision counts digits after the point (else significant digits). */
  fractional?: boolean;
}

/** numpy.format_float_positional(x, unique=True, ...) for a finite value of `dtype`. */
export function formatPositional(x: number, dtype: FloatDType, o: PositionalOptions): string {
  const p = decompose(x, dtype);
  const mode = o.fractional === false ? 'total' : 'fraction';
  const { digits, exp10 } = dragon4(p, mode, o.precision, o.minDigits);
  const sign = p.negative ? '-' : '';
  let body: string;
  let numWhole: number;
  let numFrac: number;
  if (exp10 >= 0) {
    numWhole = exp10 + 1;
    if (digits.length <= numWhole) { body = digits.padEnd(numWhole, '0'); numFrac = 0; }
    else { body = `${digits.slice(0, numWhole)}.${digits.slice(numWhole)}`; numFrac = digits.length - numWhole; }
  } else {
    numWhole = 1;
    body = `0.${'0'.repeat(-(exp10 + 1))}${digits}`;
    numFrac = -(exp10 + 1) + digits.length;
  }
  if (o.trim !== '-' && numFrac === 0) body += '.';
  let desiredFrac = Math.max(o.minDigits, 0);
  if (mode === 'total') desiredFrac = o.minDigits - numWhole;
  if (o.trim === '0') {
    if (numFrac === 0) { body += '0'; numFrac++; }
  } else if (o.trim === 'k' && desiredFrac > numFrac) {
    body += '0'.repeat(desiredFrac - numFrac);
    numFrac = desiredFrac;
  }
  if (o.trim !== 'k' && numFrac > 0) {
    while (body.endsWith('0')) { body = body.slice(0, -1); numFrac--; }
    if (body.endsWith('.')) {
      if (o.trim === '0') { body += '0'; numFrac++; } else if (o.trim === '-') body = body.slice(0, -1);
    }
  }
  if (o.padRight >= numFrac) {
    if (o.trim === '-' && numFrac === 0) body += ' ';
    body += ' '.repeat(o.padRight - numFrac);
  }
  const out = sign + body;
  const shift = o.padLeft - (numWhole + sign.length);
  return shift > 0 ? ' '.repeat(shift) + out : out;
}

export interface ScientificOptions {
  precision: number;
  minDigits: number;
  trim: Trim;
  padLeft: number;
  expDigits: number;
}

/** numpy.format_float_scientific(x, unique=True, ...) for a finite value of `dtype`. */
export function formatScientific(x: number, dtype: FloatDType, o: ScientificOptions): string {
  const p = decompose(x, dtype);
  const sign = p.negative ? '-' : '';
  const left = Math.max(0, o.padLeft - (1 + sign.length));
  const { digits, exp10 } = dragon4(p, 'total', o.precision < 0 ? -1 : o.precision + 1, o.minDigits < 0 ? -1 : o.minDigits + 1);
  let numFrac = digits.length - 1;
  let body = numFrac > 0 ? `${digits[0]}.${digits.slice(1)}` : digits;
  if (o.trim !== '-' && numFrac === 0) body += '.';
  const addDigits = Math.max(o.minDigits, 0);
  if (o.trim === '0') {
    if (numFrac === 0) { body += '0'; numFrac++; }
  } else if (o.trim === 'k' && addDigits > numFrac) {
    body += '0'.repeat(addDigits - numFrac);
    numFrac = addDigits;
  }
  if (o.trim !== 'k' && numFrac > 0) {
    while (body.endsWith('0')) { body = body.slice(0, -1); numFrac--; }
    if (o.trim === '0' && body.endsWith('.')) body += '0';
  }
  const expDigits = o.expDigits < 0 ? 2 : Math.min(o.expDigits, 5);
  const expStr = `e${exp10 >= 0 ? '+' : '-'}${String(Math.abs(exp10)).padStart(expDigits, '0')}`;
  return ' '.repeat(left) + sign + body + expStr;
}

/**
 * The shortest decimal that reads back as `x` in `dtype` (what numpy's repr of a float16/float32
 * scalar shows), in positional form; used to print f16/f32 values in JSON.
 */
export function shortestDigits(x: number, dtype: FloatDType): string {
  return formatPositional(x, dtype, { precision: -1, minDigits: -1, trim: '-', padLeft: -1, padRight: -1 });
}
