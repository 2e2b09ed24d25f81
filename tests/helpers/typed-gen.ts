/**
 * @file A seeded generator of well-typed `.th` programs for the schedule fuzz test: every
 * expression is built for a known shape class, so programs compile, and they mix elementwise ops
 * (with implicit broadcasting), views, slices, reductions with axes and keepdims, matmuls, gathers,
 * concat, softmax, gradients (index_add) and shared-variable updates: whatever the scheduler must
 * fuse, split or keep apart. Deterministic for a seed.
 */
import { gen as makeGen, type Gen } from './program-gen.js';

/** Shape classes: NM = [n, 3], M = [3], N = [n], S = [], MN = [3, n], KM = [k, 3]. */
type Cls = 'NM' | 'M' | 'N' | 'S' | 'MN' | 'KM';

const UNARY = ['exp', 'tanh', 'sigmoid', 'sin', 'abs', 'softplus', '-', 'log1p', 'sqrt'];
const BINARY = ['+', '-', '*', '/', 'maximum', 'minimum'];

const LEAVES: Record<Cls, readonly string[]> = {
  NM: ['x', 'z', 'x', 'z'],
  M: ['y', 'v', 'x[0]', 'x[-1]', 'W[1]'],
  N: ['u', 'x[:, 1]', 'z[:, -1]'],
  S: ['s', 'c', '1.5', 'y[2]'],
  MN: ['x.T', 'transpose(z)'],
  KM: ['x[i]', 'z[i]'],
};

/** Classes that broadcast against `c` in a binary op (right-aligned numpy rules). */
const PARTNERS: Record<Cls, readonly Cls[]> = { NM: ['NM', 'NM', 'M', 'S'], M: ['M', 'S'], N: ['N', 'S'], S: ['S'], MN: ['MN', 'S'], KM: ['KM', 'M', 'S'] };

function expr(g: Gen, c: Cls, depth: number): string {
  if (depth <= 0 || g.r() < 0.2) return g.pick(LEAVES[c]);
  const d = depth - 1;
  const k = g.int(10);
  if (k < 3) {
    const f = g.pick(UNARY);
    const inner = expr(g, c, d);
    if (f === '-') return `-(${inner})`;
    if (f === 'sqrt' || f === 'log1p') return `${f}(abs(${inner}))`;
    return f === 'exp' ? `exp(${inner} * 0.1)` : `${f}(${inner})`;
  }
  if (k < 6) {
    const op = g.pick(BINARY);
    const a = expr(g, c, d), b = expr(g, g.pick(PARTNERS[c]), d);
    return op.length === 1 ? `(${a} ${op} ${b})` : `${op}(${a}, ${b})`;
  }
  if (k === 6) return `where(${expr(g, c, d)} > 0, ${expr(g, c, d)}, ${expr(g, g.pick(PARTNERS[c]), d)})`;
  return compound(g, c, d);
}

/** Shape-changing forms: reductions, matmuls, views, gathers, concat, softmax, gradients. */
function compound(g: Gen, c: Cls, d: number): string {
  const e = (x: Cls) => expr(g, x, d);
  const red = () => g.pick(['sum', 'max', 'min', 'logsumexp', 'mean', 'prod']);
  switch (c) {
    case 'NM': return g.pick([
      `(${e('NM')} @ W)`,
      `softmax(${e('NM')})`,
      `(${red()}(${e('NM')}, axis=1, keepdims=true) * ${e('NM')})`,
      `concat([${e('NM')}[:, 0:1], ${e('NM')}[:, 1:]], axis=1)`,
      `(reshape(${e('N')}, [n, 1]) + ${e('NM')})`,
      `grad(sum(${e('NM')} * x), x)`,
      `transpose(${e('MN')})`,
      `(${e('NM')}[::-1] + 0)`,
      `cast(cast(${e('NM')}, f32) * 2, f64)`,
    ]);
    case 'M': return g.pick([`${red()}(${e('NM')}, axis=0)`, `sum(${e('KM')}, axis=0)`, `(${e('M')} @ W)`, `(${e('N')} @ ${e('NM')})`, `${e('MN')}[:, 0]`]);
    case 'N': return g.pick([`${red()}(${e('NM')}, axis=1)`, `(${e('NM')} @ ${e('M')})`, `cast(argmax(${e('NM')}, axis=1), f64)`, `${e('MN')}[1]`]);
    case 'S': return g.pick([`${red()}(${e(g.pick(['NM', 'M', 'N'] as const))})`, `(${e('M')} @ ${e('M')})`, `${e('N')}[0]`]);
    case 'MN': return g.pick([`transpose(${e('NM')})`, `reshape(${e('NM')}, [3, n])`, `(W @ ${e('MN')})`]);
    case 'KM': return g.pick([`${e('NM')}[i]`, `(${e('KM')} @ W)`]);
  }
}

/** A program with one entry point `main` over x, z, y, u, s, W, i and shared v, c. */
export function typedProgram(seed: number): string {
  const g = makeGen(seed);
  const depth = 2 + g.int(3);
  const lets = Array.from({ length: 1 + g.int(3) }, (_, j) => `  let t${j} = ${expr(g, g.pick(['NM', 'M', 'N', 'S'] as const), depth)}`);
  const body = [
    ...lets,
    ...(g.r() < 0.6 ? [`  v <- ${expr(g, 'M', depth - 1)}`] : []),
    ...(g.r() < 0.4 ? [`  c <- ${expr(g, 'S', depth - 1)}`] : []),
    `  return (${lets.map((_, j) => `t${j}`).join(', ')}, ${expr(g, g.pick(['NM', 'S', 'KM', 'MN'] as const), depth)})`,
  ];
  return [
    'use nn',
    'shared v: f64[3] = [0.5, -1.0, 2.0]',
    'shared c: f64 = 0.25',
    'fn main(x: f64[n, 3], z: f64[n, 3], y: f64[3], u: f64[n], s: f64, W: f64[3, 3], i: i32[k]) {',
    ...body,
    '}',
    '',
  ].join('\n');
}
