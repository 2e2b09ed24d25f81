/**
 * @file Small helpers the debugging aids share (`--nan-guard`, `--check`, `gradcheck`): a flat
 * element offset as a numpy-style index, and numbers written the way numpy's repr writes them.
 */

/** The multi-index of flat C-order offset `flat` in `shape`, written `[i, j]` (`[]` for a scalar). */
export function indexText(shape: readonly number[], flat: number): string {
  const idx = new Array<number>(shape.length);
  let rest = flat;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    idx[i] = d === 0 ? 0 : rest % d;
    rest = d === 0 ? 0 : Math.floor(rest / d);
  }
  return `[${idx.join(', ')}]`;
}

/** A number as numpy prints a float scalar: `nan`, `inf`, `-inf`, `1.0`, `0.5`, `1e-20`. */
export function numText(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  return String(x);
}

/** A relative error or tolerance for messages: 3 significant digits (`1.23e-7`, `0.0784`, `1e-6`). */
export function errText(x: number): string {
  if (!Number.isFinite(x)) return numText(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  const t = a < 1e-3 || a >= 1e5 ? x.toExponential(2) : x.toPrecision(3);
  // Trailing zeros say nothing here: 1.00e-6 -> 1e-6, 1.50 -> 1.5.
  return t.includes('e') ? t.replace(/\.?0+e/, 'e').replace('e+', 'e') : t.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** A value in a table: 10 significant digits, numpy-style names for non-finite values. */
export function valueText(x: number): string {
  return Number.isFinite(x) ? numText(Number(x.toPrecision(10))) : numText(x);
}

/** The name of a non-finite value: NaN, inf or -inf. */
export function nonFiniteName(x: number): string {
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'inf' : '-inf';
}
