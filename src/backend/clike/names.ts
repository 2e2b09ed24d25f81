/**
 * @file Program names and symbolic sizes as identifiers of the C-like CPU targets (C, JS), which
 * spell them the same way: `mangle` keeps only ASCII letters and digits and escapes everything
 * else, so no `.th` name can become a keyword, clash with thc's own names or inject text; each
 * dimension name is a `d_<name>` variable in scope (a kernel parameter or the entry function's
 * local: `long` in C, a number in JS).
 */
import type { Dim } from '../../sema/dims.js';
import type { DimText } from './index-text.js';

/**
 * A program name as an identifier part: letters and digits stay, any other character (the
 * underscore included, so the mapping is one-to-one) becomes `_xHH_`. Callers add a prefix
 * (`p_`, `s_`, `d_`, `thc_`), so the result never starts with a digit or is a keyword.
 */
export const mangle = (name: string): string =>
  name.replace(/[^A-Za-z0-9]/g, c => `_x${c.codePointAt(0)!.toString(16)}_`);

/** The variable holding a dimension name's size. */
export const dimVar = (name: string): string => `d_${mangle(name)}`;

/** Symbolic sizes as `d_<name>` variables, recorded in `names` so a kernel declares exactly the ones it uses. */
export function symbolicDims(): { text: DimText; names: Set<string> } {
  const names = new Set<string>();
  const text: DimText = (d: Dim) => {
    if (typeof d === 'number') return d < 0 ? `(${d})` : `${d}`;
    const e = d.replace(/[A-Za-z_][A-Za-z0-9_]*/g, m => { names.add(m); return dimVar(m); });
    return /^[A-Za-z0-9_]+$/.test(e) ? e : `(${e})`;
  };
  return { text, names };
}
