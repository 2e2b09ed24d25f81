/**
 * @file A seeded generator of `.th` programs for fuzzing and benchmarks.
 * Produces mostly well-formed programs over the core language (declarations, typed and generic
 * functions, every operator, builtins with keyword args, indexing, tuples, updates), and token-
 * and character-level mutations of them. Deterministic for a given seed.
 */

/** A small, fast, seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Gen {
  readonly r: () => number;
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
}

export function gen(seed: number): Gen {
  const r = rng(seed);
  return { r, int: n => Math.floor(r() * n), pick: xs => xs[Math.floor(r() * xs.length)]! };
}

const DTYPES = ['f32', 'f64', 'i32', 'u32', 'bool', 'f16'];
const UNARY = ['exp', 'log', 'log1p', 'expm1', 'sqrt', 'abs', 'sign', 'sin', 'cos', 'tanh', 'sigmoid', 'softplus', 'floor', 'ceil', 'round', 'relu'];
const REDUCE = ['sum', 'mean', 'prod', 'max', 'min', 'logsumexp', 'argmax', 'argmin'];
const BINOPS = ['+', '-', '*', '/', '%', '@', '^', '==', '!=', '<', '<=', '>', '>=', 'and', 'or'];

function typeExpr(g: Gen, dims: string[]): string {
  const dt = g.pick(DTYPES.slice(0, 2).concat(DTYPES));
  const rank = g.int(3);
  if (rank === 0) return dt;
  const ds: string[] = [];
  for (let i = 0; i < rank; i++) ds.push(g.pick([...dims, '_', String(1 + g.int(5))]));
  return `${dt}[${ds.join(', ')}]`;
}

function expr(g: Gen, names: string[], depth: number): string {
  if (depth <= 0 || g.r() < 0.25) {
    const k = g.int(10);
    if (k < 5 && names.length) return g.pick(names);
    if (k < 7) return String(g.int(100) / (g.r() < 0.5 ? 1 : 10));
    if (k < 8) return g.pick(['true', 'false', '.5', '1e-3', '2.5E+2']);
    return `[${[1, 2].map(() => g.int(9)).join(', ')}]`;
  }
  const d = depth - 1;
  switch (g.int(11)) {
    case 0: case 1: case 2: return `${expr(g, names, d)} ${g.pick(BINOPS)} ${expr(g, names, d)}`;
    case 3: return `${g.pick(['-', 'not ', '+'])}${expr(g, names, d)}`;
    case 4: return `${g.pick(UNARY)}(${expr(g, names, d)})`;
    case 5: return `${g.pick(REDUCE)}(${expr(g, names, d)}${g.r() < 0.5 ? `, axis=${g.pick(['0', '-1', '(0, 1)', '1'])}` : ''}${g.r() < 0.3 ? ', keepdims=true' : ''})`;
    case 6: return `(${expr(g, names, d)})`;
    case 7: return `${expr(g, names, d)}[${g.pick(['0', '1:3', ':', '::2', '-1', ':, 0', 'arange(2), 0'])}]`;
    case 8: return `${expr(g, names, d)}${g.pick(['.T', '.shape', '.shape[0]'])}`;
    case 9: return g.pick([
      `where(${expr(g, names, d)} > 0, ${expr(g, names, d)}, ${expr(g, names, d)})`,
      `maximum(${expr(g, names, d)}, ${expr(g, names, d)})`,
      `clip(${expr(g, names, d)}, 0, 1)`,
      `cast(${expr(g, names, d)}, ${g.pick(DTYPES)})`,
      `reshape(${expr(g, names, d)}, [${g.int(4) + 1}, -1])`,
      `transpose(${expr(g, names, d)})`,
      `concat([${expr(g, names, d)}, ${expr(g, names, d)}], axis=0)`,
      `stack([${expr(g, names, d)}, ${expr(g, names, d)}])`,
      `one_hot(${expr(g, names, d)}, 3)`,
      `dot(${expr(g, names, d)}, ${expr(g, names, d)})`,
      `uniform([2, 3], 0, 1, seed=${g.int(9)})`,
      `softmax(${expr(g, names, d)})`,
      `grad(sum(${expr(g, names, d)}), ${names.length ? g.pick(names) : 'x'})`,
    ]);
    default: return `${g.pick(['f', 'g', 'helper', 'exp'])}(${expr(g, names, d)}${g.r() < 0.3 ? `, k=${expr(g, names, d)}` : ''})`;
  }
}

/** A whole program of roughly `fns` functions. */
export function program(g: Gen, fns = 3): string {
  const out: string[] = [];
  if (g.r() < 0.5) out.push(g.pick(['use nn', 'use stats', 'use "missing.th"', 'use nosuch']));
  if (g.r() < 0.3) out.push(`type img = ${typeExpr(g, ['n'])}`);
  if (g.r() < 0.5) out.push(`let eps = ${g.pick(['1e-8', '3', '0.5', '[1, 2]'])}`);
  const shared: string[] = [];
  if (g.r() < 0.6) {
    shared.push('w');
    out.push(`shared w: ${g.pick(['f32', 'f64'])}[${1 + g.int(4)}] = ${g.pick(['0', 'zeros', 'ones', 'uniform(-1, 1, seed=3)', 'normal(0, 1, seed=1)', '[1, 2, 3]', 'load("w.npy")'])}`);
  }
  for (let i = 0; i < fns; i++) {
    const dims = ['n', 'm'];
    const params: string[] = [];
    const names: string[] = [...shared];
    const np = 1 + g.int(3);
    for (let j = 0; j < np; j++) {
      const name = g.pick(['x', 'y', 'z', 'a', 'b', 'lr']) + (j ? String(j) : '');
      names.push(name);
      params.push(g.r() < 0.8 ? `${name}: ${typeExpr(g, dims)}${g.r() < 0.1 ? ' = 0.1' : ''}` : name);
    }
    const fname = i === 0 ? 'main' : g.pick(['f', 'g', 'helper', `fn${i}`]);
    if (g.r() < 0.4) {
      out.push(`fn ${fname}(${params.join(', ')}) = ${expr(g, names, 3)}`);
    } else {
      const body: string[] = [];
      const nl = g.int(4);
      for (let k = 0; k < nl; k++) {
        const v = `t${k}`;
        body.push(`  let ${v} = ${expr(g, names, 3)}`);
        names.push(v);
      }
      if (shared.length && g.r() < 0.5) body.push(`  w <- ${expr(g, names, 2)}`);
      body.push(g.r() < 0.3 ? `  return (${expr(g, names, 2)}, ${g.pick(names)})` : `  return ${expr(g, names, 3)}`);
      out.push(`fn ${fname}(${params.join(', ')}) {\n${body.join('\n')}\n}`);
    }
  }
  return out.join('\n') + '\n';
}

const JUNK = ['**', '<-', '=', '(', ')', '[', ']', '{', '}', ',', ';', ':', '.', '"', '#', '@', '1e', '..', 'fn', 'let', 'return', 'shared', '$', '\\', '<', '< <'];

/** Mutates a program text: deletes, duplicates, swaps or inserts tokens and characters. */
export function mutate(g: Gen, src: string): string {
  const toks = src.split(/(\s+)/);
  const n = 1 + g.int(4);
  for (let i = 0; i < n; i++) {
    const at = g.int(toks.length);
    switch (g.int(5)) {
      case 0: toks.splice(at, 1); break;
      case 1: toks.splice(at, 0, g.pick(JUNK)); break;
      case 2: toks.splice(at, 0, toks[g.int(toks.length)] ?? ''); break;
      case 3: { const j = g.int(toks.length); [toks[at], toks[j]] = [toks[j] ?? '', toks[at] ?? '']; break; }
      default: {
        const t = toks[at] ?? '';
        const c = g.int(t.length + 1);
        toks[at] = t.slice(0, c) + g.pick(['', 'x', '0', '.', '_', '\u00e9', '\t']) + t.slice(c + 1);
      }
    }
  }
  return toks.join('');
}
