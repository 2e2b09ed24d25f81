/**
 * @file Static shape rules shared by the op table and sema: numpy broadcasting over symbolic Dims,
 * and axis normalisation.
 * Policy (documented in docs/language.md): equal dims match; 1 broadcasts; an anonymous dim (`_`)
 * matches anything and is checked at run time; two different named dims, or a named dim and a
 * constant other than 1, are a compile-time error: a name promises a size the compiler can't see.
 */
import { type Dim, dimEquals, isAnonymous } from './dims.js';

export type BroadcastResult = { ok: true; shape: Dim[] } | { ok: false; axis: number; a: Dim; b: Dim };

/** Broadcasts two shapes (numpy rules, right-aligned). On failure, reports the first bad output axis. */
export function broadcastShapes(a: readonly Dim[], b: readonly Dim[]): BroadcastResult {
  // Common cases first, as exact-size copies (type rules fold from `[]`; equal shapes are frequent).
  if (a.length === 0) return { ok: true, shape: b.slice() };
  if (b.length === 0 || sameDims(a, b)) return { ok: true, shape: a.slice() };
  const n = Math.max(a.length, b.length);
  const offA = n - a.length, offB = n - b.length;
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    // Missing leading axes count as 1 (checked explicitly: reading a[-1] is a slow property miss).
    const da = i >= offA ? a[i - offA]! : 1;
    const db = i >= offB ? b[i - offB]! : 1;
    const d = broadcastDim(da, db);
    if (d === undefined) return { ok: false, axis: i, a: da, b: db };
    out.push(d);
  }
  return { ok: true, shape: out };
}

/** Whether two shapes are the same dims, in the same representation. */
export function sameDims(a: readonly Dim[], b: readonly Dim[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function broadcastDim(a: Dim, b: Dim): Dim | undefined {
  if (dimEquals(a, b)) return a;
  if (a === 1) return b;
  if (b === 1) return a;
  if (isAnonymous(a)) return b;
  if (isAnonymous(b)) return a;
  return undefined;
}

/** Broadcasts any number of shapes. */
export function broadcastAll(shapes: readonly (readonly Dim[])[]): BroadcastResult {
  let acc: Dim[] = [];
  for (const s of shapes) {
    const r = broadcastShapes(acc, s);
    if (!r.ok) return r;
    acc = r.shape;
  }
  return { ok: true, shape: acc };
}

/** Whether `from` can broadcast to exactly `to` (for updates and `broadcast(x, shape)`). */
export function broadcastsTo(from: readonly Dim[], to: readonly Dim[]): boolean {
  if (from.length > to.length) return false;
  const off = to.length - from.length;
  return from.every((d, i) => dimEquals(d, to[off + i]!) || d === 1 || isAnonymous(d) || isAnonymous(to[off + i]!));
}

/** Normalises a possibly negative axis against a rank; undefined when out of range. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return Number.isInteger(a) && a >= 0 && a < rank ? a : undefined;
}
