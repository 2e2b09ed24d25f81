/**
 * @file What the C-like backends (WGSL, C) print the same way: index variables, a kernel's header
 * comment pointing at its `.th` lines, a flat index unravelled into a multi-index, and an index
 * map (schedule/index-map.ts) printed as index arithmetic. Only the spelling of a declaration and
 * of the integer zero differ per target, so each backend passes its `IndexSyntax`
 * (ARCHITECTURE.md rule 7: one C-like printer, targets differ by overrides).
 */
import type { Dim } from '../../sema/dims.js';
import type { IndexMap } from '../../schedule/index-map.js';
import type { Kernel } from '../../schedule/types.js';

/** Prints a Dim as an integer expression of the target. */
export type DimText = (d: Dim) => string;

/** A target's spelling of what index arithmetic needs. */
export interface IndexSyntax {
  /** An immutable integer variable: `let x = e;` (WGSL), `const long x = e;` (C). */
  readonly decl: (name: string, expr: string) => string;
  /** How the target's DimText prints the size 0 (an empty axis: no term, no `% 0`). */
  readonly zero: string;
  /** Integer division of non-negative indices, where `/` is not one (JS); default `(a / b)`. */
  readonly div?: (a: string, b: string) => string;
}

const divOf = (syn: IndexSyntax, a: string, b: string): string => (syn.div ? syn.div(a, b) : `(${a} / ${b})`);

/** Index variables `i0..i{rank-1}`. */
export const indexVars = (rank: number, prefix = 'i'): string[] => Array.from({ length: rank }, (_, k) => `${prefix}${k}`);

/** `NAME: KIND kernel over [shape], from FILE lines ...`: the text of a kernel's header comment. */
export function kernelTitle(k: Kernel): string {
  const lines = k.lines.map(l => `${l.file} line${l.lines.length === 1 ? '' : 's'} ${l.lines.join(', ')}`).join('; ');
  return `${k.name}: ${k.kind} kernel over [${k.shape.join(', ')}]${lines ? `, from ${lines}` : ''}`;
}

const isZero = (d: Dim): boolean => d === 0;
const isOne = (d: Dim): boolean => d === 1;

function strided(shape: readonly Dim[], strides: readonly Dim[], idx: readonly string[], dim: DimText): string[] {
  const terms: string[] = [];
  shape.forEach((d, k) => {
    const s = strides[k]!;
    if (isZero(s) || isOne(d)) return;
    terms.push(isOne(s) ? idx[k]! : `${idx[k]} * ${dim(s)}`);
  });
  return terms;
}

function sum(base: string, terms: readonly string[], zero: string): string {
  const parts = base === zero ? [...terms] : [base, ...terms];
  return parts.length === 0 ? zero : parts.join(' + ');
}

/**
 * Statements computing the flat buffer offset that `map` gives for the multi-index `idx` (the map's
 * read space), into variable `name`. The top view is strided; each view below it unravels the flat
 * C-order index of its own shape (index-map.ts's stack).
 */
export function offsetLines(map: IndexMap, idx: readonly string[], name: string, dim: DimText, syn: IndexSyntax): string[] {
  const views = map.views;
  const top = views[views.length - 1]!;
  const lines: string[] = [];
  lines.push(syn.decl(`${name}_${views.length - 1}`, sum(dim(top.offset), strided(top.shape, top.strides, idx, dim), syn.zero)));
  for (let k = views.length - 2; k >= 0; k--) {
    const v = views[k]!;
    const flat = `${name}_${k + 1}`;
    const parts: string[] = [];
    let inner = '';
    for (let ax = v.shape.length - 1; ax >= 0; ax--) {
      const d = dim(v.shape[ax]!);
      const q = inner === '' ? flat : divOf(syn, flat, inner);
      // An empty axis (d is 0) has no element to read: leave its term out (no % by zero).
      if (!isZero(v.strides[ax]!) && !isOne(v.shape[ax]!) && d !== syn.zero) parts.push(`((${q} % ${d}) * ${dim(v.strides[ax]!)})`);
      inner = inner === '' ? d : `${inner} * ${d}`;
    }
    lines.push(syn.decl(`${name}_${k}`, sum(dim(v.offset), parts.reverse(), syn.zero)));
  }
  lines.push(syn.decl(name, `${name}_0`));
  return lines;
}

/** Statements giving `idx[k]` for the flat C-order index `flat` over `shape`. */
export function unravel(flat: string, shape: readonly Dim[], idx: readonly string[], dim: DimText, syn: IndexSyntax): string[] {
  const lines: string[] = [];
  let rest = flat;
  for (let k = shape.length - 1; k >= 0; k--) {
    const d = dim(shape[k]!);
    if (k === 0) { lines.push(syn.decl(idx[k]!, rest)); break; }
    // An empty axis: no element exists, and a division by a zero constant is rejected (WGSL) or undefined (C).
    if (d === syn.zero) { lines.push(syn.decl(idx[k]!, syn.zero), syn.decl(`${idx[k]}_r`, syn.zero)); rest = `${idx[k]}_r`; continue; }
    lines.push(syn.decl(idx[k]!, `${rest} % ${d}`));
    lines.push(syn.decl(`${idx[k]}_r`, syn.div ? syn.div(rest, d) : `${rest} / ${d}`));
    rest = `${idx[k]}_r`;
  }
  return lines;
}
