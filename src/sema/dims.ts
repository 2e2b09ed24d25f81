/**
 * @file Symbolic dimensions: a Dim is a known size (number) or a canonical polynomial over
 * dimension names written as a string (`n`, `b*n`, `n+1`, `2*m-1`).
 * Names starting with `_` are the anonymous dimensions of `_` in types (`_1`, `_2`, ...): each one
 * is unrelated to every other. Equal strings mean provably equal sizes; sizes are bound at run time
 * from the inputs and `evalDim` computes a Dim from those bindings.
 */

export type Dim = number | string;

/** monomial ("" for the constant term, else sorted names joined by `*`) -> coefficient */
type Poly = Map<string, number>;

function polyOf(d: Dim): Poly {
  if (typeof d === 'number') return new Map([['', d]]);
  const p: Poly = new Map();
  // Terms are separated by + or - at top level; each term is `c*a*b` or `a*b` or `c`.
  const re = /([+-]?)([^+-]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(d))) {
    const sign = m[1] === '-' ? -1 : 1;
    let coeff = sign;
    const names: string[] = [];
    for (const f of m[2]!.split('*')) {
      if (/^\d+$/.test(f)) coeff *= Number(f); else names.push(f);
    }
    const key = names.sort().join('*');
    p.set(key, (p.get(key) ?? 0) + coeff);
  }
  return p;
}

function polyToDim(p: Poly): Dim {
  const terms = [...p.entries()].filter(([, c]) => c !== 0);
  if (terms.every(([k]) => k === '')) return terms.reduce((s, [, c]) => s + c, 0);
  // Symbolic terms first (sorted), constant last: `n+1`, `b*n`, `2*n-1`.
  terms.sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0));
  let out = '';
  for (const [k, c] of terms) {
    const mag = Math.abs(c);
    const body = k === '' ? String(mag) : mag === 1 ? k : `${mag}*${k}`;
    out += c < 0 ? `-${body}` : out === '' ? body : `+${body}`;
  }
  return out;
}

/**
 * Symbolic arithmetic re-parses its operands, and shape rules repeat the same few operations
 * (`n-0`, `n*1`) for every call: results are remembered by operator and operands (Dims are plain
 * strings and numbers, so the results are pure). Bounded so a huge program cannot grow it forever.
 */
// Nested by operator, then operand, then operand: no key string to build per call (Map keys keep
// the number 1 apart from a string "1").
const memo = new Map<string, Map<Dim, Map<Dim, Dim | undefined>>>();
let memoSize = 0;
const MEMO_LIMIT = 50_000;

function memoized(op: string, a: Dim, b: Dim, f: () => Dim | undefined): Dim | undefined {
  let byA = memo.get(op);
  if (!byA) memo.set(op, byA = new Map());
  let byB = byA.get(a);
  if (!byB) byA.set(a, byB = new Map());
  const hit = byB.get(b);
  if (hit !== undefined || byB.has(b)) return hit;
  const r = f();
  if (memoSize >= MEMO_LIMIT) {
    memo.clear();
    memoSize = 0;
    return r;
  }
  byB.set(b, r);
  memoSize++;
  return r;
}

function combine(a: Dim, b: Dim, sign: 1 | -1): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a + sign * b;
  return memoized(sign === 1 ? '+' : '-', a, b, () => combinePoly(a, b, sign))!;
}

function combinePoly(a: Dim, b: Dim, sign: 1 | -1): Dim {
  const p = polyOf(a);
  for (const [k, c] of polyOf(b)) p.set(k, (p.get(k) ?? 0) + sign * c);
  return polyToDim(p);
}

export const dimAdd = (a: Dim, b: Dim): Dim => combine(a, b, 1);
export const dimSub = (a: Dim, b: Dim): Dim => combine(a, b, -1);

export function dimMul(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  return memoized('*', a, b, () => mulPoly(a, b))!;
}

function mulPoly(a: Dim, b: Dim): Dim {
  const out: Poly = new Map();
  for (const [ka, ca] of polyOf(a)) {
    for (const [kb, cb] of polyOf(b)) {
      const key = [...(ka ? ka.split('*') : []), ...(kb ? kb.split('*') : [])].sort().join('*');
      out.set(key, (out.get(key) ?? 0) + ca * cb);
    }
  }
  return polyToDim(out);
}

/** Exact division when it is provable (constants, or every coefficient divisible); else undefined. */
export function dimDiv(a: Dim, b: Dim): Dim | undefined {
  if (typeof a === 'number' && typeof b === 'number') return b !== 0 && a % b === 0 ? a / b : undefined;
  if (typeof b === 'number') {
    if (b === 0) return undefined;
    const p = polyOf(a);
    for (const c of p.values()) if (c % b !== 0) return undefined;
    return polyToDim(new Map([...p].map(([k, c]) => [k, c / b])));
  }
  if (dimEquals(a, b)) return 1;
  // a = b*k for a single monomial b: divide monomials
  const pa = polyOf(a), pb = polyOf(b);
  if (pb.size !== 1) return undefined;
  const [[kb, cb]] = [...pb] as [[string, number]];
  const out: Poly = new Map();
  for (const [ka, ca] of pa) {
    const names = ka ? ka.split('*') : [];
    for (const n of kb.split('*')) {
      const i = names.indexOf(n);
      if (i < 0) return undefined;
      names.splice(i, 1);
    }
    if (ca % cb !== 0) return undefined;
    out.set(names.join('*'), ca / cb);
  }
  return polyToDim(out);
}

export function dimEquals(a: Dim, b: Dim): boolean {
  return a === b;
}

export function dimToString(d: Dim): string {
  return String(d);
}

/** True for a dimension that came from `_` (or contains one): size unknown until run time. */
export function isAnonymous(d: Dim): boolean {
  return typeof d === 'string' && /(^|[^A-Za-z0-9_])_\d+/.test(d);
}

/** The dimension names a Dim mentions. */
export function dimNames(d: Dim): string[] {
  if (typeof d === 'number') return [];
  return [...new Set(d.split(/[+\-*]/).filter(f => f !== '' && !/^\d+$/.test(f)))];
}

/** Evaluates a Dim given the run-time sizes of its names; undefined if a name is unbound. */
export function evalDim(d: Dim, env: ReadonlyMap<string, number>): number | undefined {
  if (typeof d === 'number') return d;
  let total = 0;
  for (const [k, c] of polyOf(d)) {
    let v = c;
    if (k !== '') {
      for (const n of k.split('*')) {
        const x = env.get(n);
        if (x === undefined) return undefined;
        v *= x;
      }
    }
    total += v;
  }
  return total;
}

/** A generator of fresh anonymous dimensions `_1`, `_2`, ... (one per `_` in a signature). */
export function anonymousDims(): () => string {
  let n = 0;
  return () => `_${++n}`;
}
