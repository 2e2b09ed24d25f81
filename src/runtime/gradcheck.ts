/**
 * @file `thc gradcheck`: Theano's verify_grad. For every `grad` placeholder of an entry point's
 * `graph`-stage graph (inputs [cost, target]), compares the gradient thc computes (the placeholder
 * run through the grad and rewrite stages, evaluated in the program's dtype) with central finite
 * differences of the cost (also through every stage, widened to f64 by widen.ts when the program is
 * f16/f32) for every element of the target, a parameter or a shared variable.
 * Consumes the `graph`-stage ProgramGraphs, the entry Graph and the bound values; produces one row
 * per placeholder with the worst relative error |a - n| / max(1, |a|, |n|).
 */
import type { Graph, GraphOutput, ProgramGraphs } from '../graph/graph.js';
import type { Node } from '../graph/node.js';
import type { DType } from '../sema/types.js';
import { createSink } from '../diag/sink.js';
import { graphRoots, topoOrder } from '../graph/walk.js';
import type { StageContext } from '../rewrite/trace.js';
import { GRAPH_STAGES } from '../pipeline.js';
import { type NDArray, fromNumbers, roundTo } from './ndarray.js';
import { evaluate, type InterpEnv } from './interp.js';
import { widenArray, widenToF64 } from './widen.js';


/** Accepted worst relative error by the gradient's dtype (`--tolerance` overrides). */
export const DEFAULT_TOLERANCE: Readonly<Record<DType, number>> = { f64: 1e-6, f32: 1e-3, f16: 5e-2, i32: 0, u32: 0, bool: 0 };

/** The finite-difference step by the dtype the cost is evaluated in (`--eps` overrides). */
const DEFAULT_EPS: Readonly<Record<DType, number>> = { f64: 1e-6, f32: 1e-3, f16: 1e-2, i32: 1, u32: 1, bool: 1 };

export interface GradCheckOptions {
  /** Relative step: element x moves by eps * max(1, |x|). */
  readonly eps?: number;
  readonly tolerance?: number;
}

export interface GradCheckRow {
  /** The `grad` placeholder (its span is the `grad(...)` call). */
  readonly placeholder: Node;
  readonly target: string;
  readonly targetKind: 'param' | 'shared';
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Worst relative error, its flat index and the two values there. */
  readonly worst: number;
  readonly at: number;
  readonly analytic: number;
  readonly numeric: number;
  readonly tolerance: number;
  /** The dtype the cost was evaluated in for the finite differences. */
  readonly costDType: DType;
  /** The step used (relative). */
  readonly eps: number;
}

/** Every `grad` placeholder reachable from the entry's outputs and updates, innermost first. */
export function gradPlaceholders(g: Graph): Node[] {
  return topoOrder(graphRoots(g)).filter(n => n.op === 'grad');
}

/** Runs each placeholder and its cost through every stage after `graph`: [cost, gradient] pairs. */
function expand(p: ProgramGraphs, g: Graph, placeholders: readonly Node[]): [Node, Node][] {
  const out = (name: string, node: Node): GraphOutput => ({ name, node, span: node.span });
  const entries: Graph[] = placeholders.map((ph, i) => ({
    name: `__gradcheck${i}`, params: g.params, updates: [], span: ph.span,
    outputs: [out('cost', ph.inputs[0]!), out('grad', ph)],
  }));
  const sink = createSink();
  const cx: StageContext = { sink, disabled: new Set(), trace: null };
  let q: ProgramGraphs = { ...p, entries };
  for (const [, stage] of GRAPH_STAGES) q = stage(q, cx);
  if (sink.hasErrors()) throw new Error(`gradcheck: the stages reported ${sink.diagnostics[0]!.code}: ${sink.diagnostics[0]!.message}`);
  return q.entries.map(e => [e.outputs[0]!.node, e.outputs[1]!.node]);
}

const relError = (a: number, n: number): number => {
  const e = Math.abs(a - n) / Math.max(1, Math.abs(a), Math.abs(n));
  return Number.isNaN(e) ? Infinity : e;
};

/** Checks every placeholder; `env` holds the bound parameters and the current shared state. */
export function gradCheck(p: ProgramGraphs, g: Graph, env: InterpEnv, opts: GradCheckOptions = {}): GradCheckRow[] {
  const placeholders = gradPlaceholders(g);
  const pairs = expand(p, g, placeholders);
  return placeholders.map((ph, i) => checkOne(ph, pairs[i]![0], pairs[i]![1], env, opts));
}

function checkOne(ph: Node, cost: Node, grad: Node, env: InterpEnv, opts: GradCheckOptions): GradCheckRow {
  const target = ph.inputs[1]!;
  const targetKind = target.op === 'shared' ? 'shared' : 'param';
  const name = target.attrs['name'] as string;
  const analytic = evaluate([grad], env)[0]!;
  // Finite differences in f64 where the cost rebuilds in f64, else in the program's own dtype.
  const wide = widenToF64(cost);
  const fdCost = wide ?? cost;
  const wideMap = (m: ReadonlyMap<string, NDArray>): Map<string, NDArray> => new Map([...m].map(([k, v]) => [k, wide ? widenArray(v) : v]));
  const base: InterpEnv = { params: wideMap(env.params), shared: wideMap(env.shared), dims: env.dims };
  const values = targetKind === 'shared' ? base.shared : base.params;
  const x0 = values.get(name);
  if (!x0) throw new Error(`gradcheck: no value for ${targetKind} ${name}`);
  const costDType = fdCost.type.dtype;
  const eps = opts.eps ?? DEFAULT_EPS[costDType];
  const round = roundTo(x0.dtype);
  const at = (k: number, x: number): number => {
    const data = Array.from(x0.data);
    data[k] = x;
    const moved = new Map(values).set(name, fromNumbers(x0.dtype, x0.shape, data));
    const e: InterpEnv = targetKind === 'shared' ? { ...base, shared: moved } : { ...base, params: moved };
    return evaluate([fdCost], e)[0]!.data[0]!;
  };
  let worst = -1, worstAt = 0, worstA = 0, worstN = 0;
  for (let k = 0; k < x0.data.length; k++) {
    const x = x0.data[k]!;
    const h = eps * Math.max(1, Math.abs(x));
    // The steps actually taken once x ± h is stored in the target's dtype.
    const up = round(x + h), down = round(x - h);
    const numeric = (at(k, up) - at(k, down)) / (up - down);
    const a = analytic.data[k]!;
    const err = relError(a, numeric);
    if (err > worst) { worst = err; worstAt = k; worstA = a; worstN = numeric; }
  }
  return {
    placeholder: ph, target: name, targetKind, dtype: analytic.dtype, shape: x0.shape,
    worst: Math.max(worst, 0), at: worstAt, analytic: worstA, numeric: worstN,
    tolerance: opts.tolerance ?? DEFAULT_TOLERANCE[analytic.dtype], costDType, eps,
  };
}
