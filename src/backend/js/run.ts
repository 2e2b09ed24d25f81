/**
 * @file Runs a Schedule with the JS target's kernels in this process: the same interface as the
 * WGSL executor (backend/wgsl/run.ts). The kernel functions are built once per runner with
 * `new Function` from exactly the text `thc compile --target js` prints for the entry point
 * (module.ts entryKernels), so what is tested is what is emitted; the calls run through the
 * self-contained runtime (runtime.ts) over the entry's plan (plan.ts), as the standalone module
 * will. Shared variables stay resident (copies of the store's values) and change only through
 * the end-of-call copies, in the schedule's order. A run-time error of a kernel (thc_fail) becomes
 * the interpreter's RuntimeError with the same code and arguments.
 */
import type { DType } from '../../sema/types.js';
import type { ProgramGraphs } from '../../graph/graph.js';
import type { NDArray } from '../../runtime/ndarray.js';
import { RuntimeError } from '../../runtime/runtime-error.js';
import type { DiagArgs } from '../../diag/diagnostic.js';
import type { Schedule } from '../../schedule/types.js';
import type { CompileResult } from '../../pipeline.js';
import type { DiagnosticSink } from '../../diag/sink.js';
import { checkJsSupport } from './support.js';
import { entryKernels } from './module.js';
import type { JsKernel } from './kernel.js';
import { jsPlan } from './plan.js';
import { thcJsRuntime, type JsKernelFn, type JsTensor } from './runtime.js';

export interface JsCall {
  readonly params: ReadonlyMap<string, NDArray>;
  /** Sizes of dimension names; those missing are bound from the parameters' shapes (and checked). */
  readonly dims?: ReadonlyMap<string, number>;
}

export interface JsRunner {
  /** Runs one call; shared variables are updated in place; returns the outputs by name (fresh arrays). */
  run(call: JsCall): Promise<Map<string, NDArray>>;
  /** `run` without the promise. */
  runNow(call: JsCall): Map<string, NDArray>;
  /** Copies of the resident shared variables, by name (for --save-state and tests). */
  readShared(): Promise<Map<string, NDArray>>;
  /** `readShared` without the promise. */
  sharedNow(): Map<string, NDArray>;
  /** Drops every buffer. */
  destroy(): void;
}

/** The kernel functions of `s`, built from the text the module prints (and that text). */
export function buildKernels(s: Schedule): { fns: JsKernelFn[]; text: string; kernels: readonly JsKernel[] } {
  const { kernels, text } = entryKernels(s);
  const fns = new Function(`'use strict';\n${text}\nreturn [${kernels.map(k => k.name).join(', ')}];`)() as JsKernelFn[];
  return { fns, text, kernels };
}

/** Prepares a schedule to run in this process, with the shared variables' initial values from `store`. */
export function createJsRunner(s: Schedule, program: ProgramGraphs, store: ReadonlyMap<string, NDArray>): JsRunner {
  const g = program.entries.find(e => e.name === s.entry);
  if (!g) throw new Error(`no entry point ${s.entry}`);
  const { fns, kernels } = buildKernels(s);
  // Every shared variable of the program (readShared returns them all), as copies: the runner owns its state.
  const state = new Map<string, JsTensor>();
  for (const v of program.shared) {
    const x = store.get(v.name);
    if (x) state.set(v.name, { dtype: v.type.dtype, shape: [...x.shape], data: x.data.slice() });
  }
  const runtime = thcJsRuntime(jsPlan(s, g, program, kernels), fns, state);
  const asNDArray = (t: JsTensor, dtype: DType): NDArray => ({ dtype, shape: [...t.shape], data: t.data });

  function runNow(call: JsCall): Map<string, NDArray> {
    let out: Map<string, JsTensor & { dtype: string }>;
    try {
      out = runtime.call(call.params, call.dims);
    } catch (e) {
      const err = e as { thcCode?: string; thcArgs?: DiagArgs };
      if (err.thcCode) throw new RuntimeError(err.thcCode, err.thcArgs ?? {});
      throw e;
    }
    return new Map([...out].map(([name, t]) => [name, asNDArray(t, t.dtype as DType)]));
  }

  function sharedNow(): Map<string, NDArray> {
    const out = new Map<string, NDArray>();
    for (const v of program.shared) {
      const x = state.get(v.name);
      if (x) out.set(v.name, { dtype: v.type.dtype, shape: [...x.shape], data: x.data.slice() });
    }
    return out;
  }

  return {
    run: async call => runNow(call),
    runNow,
    readShared: async () => sharedNow(),
    sharedNow,
    destroy() { runtime.release(); state.clear(); },
  };
}

export interface JsRunCall {
  readonly entry: string;
  readonly params: ReadonlyMap<string, NDArray>;
  /** Shared variables before the first call. */
  readonly state: ReadonlyMap<string, NDArray>;
  /** Sizes the binder already bound (the rest are bound from the parameters' shapes). */
  readonly dims?: ReadonlyMap<string, number>;
}

/**
 * `runWithC`'s counterpart for the JS target (what `thc run --device cpu` can fall back to without
 * a C compiler): checks the program (TH0540/TH0541 to `sink`: undefined then) and runs
 * `call.entry` `steps` times in this process with the state carried over. Run-time errors throw
 * the interpreter's RuntimeError (without a span: the kernels do not carry node spans; `thc run`
 * reruns the interpreter to place it). `onStep(k)` is called after step k (a progress bar).
 */
export function runWithJs(result: CompileResult, call: JsRunCall, steps: number, sink: DiagnosticSink,
  onStep?: (step: number) => void): { outputs: Map<string, NDArray>; state: Map<string, NDArray> } | undefined {
  const program = result.graphs!;
  const g = program.entries.find(e => e.name === call.entry);
  const s = result.schedules?.get(call.entry);
  if (!g || !s) throw new Error(`no entry point ${call.entry}`);
  if (!checkJsSupport(s, g, program, sink)) return undefined;
  const runner = createJsRunner(s, program, call.state);
  let outputs = new Map<string, NDArray>();
  for (let i = 0; i < steps; i++) {
    outputs = runner.runNow({ params: call.params, ...(call.dims ? { dims: call.dims } : {}) });
    onStep?.(i + 1);
  }
  return { outputs, state: runner.sharedNow() };
}
