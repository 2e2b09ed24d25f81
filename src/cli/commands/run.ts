/**
 * @file `thc run FILE [--fn NAME] [NAME=VALUE ...] [--device D] [--backend B] [--steps N] [--load-state F]
 * [--save-state F] [--format text|json] [--check] [--nan-guard]`: compiles, binds the arguments
 * (runtime/bind.ts), creates or loads the shared state (runtime/state.ts), calls the entry point N
 * times on the reference interpreter applying each call's updates together, saves the state,
 * prints the last outputs. Failures inside a kernel (RuntimeError) become diagnostics at the
 * user's line, exit status 1.
 * `--check` also runs the unoptimized graph (after the `grad` stage) on the same inputs and state
 * at every step and reports the first output or update that differs beyond tolerance (TH0681/2);
 * `--nan-guard` stops at the first node of the optimized graph producing NaN or inf (TH0680).
 * Either way stdout holds exactly what a plain `thc run` prints, or nothing on failure.
 * `--device gpu` runs the entry's kernel schedule on the WGSL backend (src/backend/wgsl), or reports
 * why this machine has no GPU device (TH0503-TH0506) or why the program cannot run there
 * (TH0520/TH0521); `--check` and `--nan-guard` watch the interpreter, so they refuse the GPU (TH0523).
 * `auto` still means the interpreter. `--backend c` runs the program as generated C on the CPU
 * (src/backend/c: built with the system compiler, cached, run as a child process): TH0530/TH0531
 * for what it cannot compile, TH0532 without a compiler, TH0534 with --device gpu/--check/--nan-guard.
 */
import type { CliContext } from '../output.js';
import type { ArgBinding } from '../../runtime/bind.js';
import type { Graph, ProgramGraphs } from '../../graph/graph.js';
import type { NDArray } from '../../runtime/ndarray.js';
import type { SharedStore } from '../../runtime/state.js';
import type { InterpEnv } from '../../runtime/interp.js';
import type { CompileResult } from '../../pipeline.js';
import { selectEntry } from '../args.js';
import { compileFile, createSession, finish, type Session } from '../session.js';
import { debugEnabled } from '../debug.js';

export const DEVICES = ['auto', 'gpu', 'cpu'] as const;
export type DeviceName = (typeof DEVICES)[number];
export type ResultFormat = 'text' | 'json';

export interface RunCommandOptions {
  readonly fn?: string;
  readonly bindings: readonly ArgBinding[];
  readonly device: DeviceName;
  /** How the CPU runs the entry: the reference interpreter, or generated C (backend/c). Default interp. */
  readonly backend?: 'interp' | 'c';
  readonly steps: number;
  readonly loadState?: string;
  readonly saveState?: string;
  readonly format: ResultFormat;
  /** Compare the optimized graph against the unoptimized one at every step. */
  readonly check?: boolean;
  /** Stop at the first node producing NaN or inf. */
  readonly nanGuard?: boolean;
}

export async function runCommand(cx: CliContext, file: string, o: RunCommandOptions): Promise<number> {
  const s = createSession(cx, file);
  const gpu = o.device === 'gpu';
  const c = o.backend === 'c';
  if (c && (gpu || o.check || o.nanGuard)) {
    s.sink.error('TH0534', { flag: gpu ? '--device gpu' : o.check ? '--check' : '--nan-guard' }, null);
    return finish(s);
  }
  const result = await compileFile(s, file, o.check ? { keepStages: true } : gpu || c ? { stopAfter: 'kernels' } : {});
  if (!result) return finish(s);
  const g = selectEntry(result.graphs!, o.fn, s.fileName, s.sink);
  if (!g) return finish(s);
  // `auto` runs the reference interpreter, like `cpu`, until the GPU backend covers every program.
  if (c || gpu) {
    if (gpu && (o.check || o.nanGuard)) {
      s.sink.error('TH0523', { flag: o.check ? '--check' : '--nan-guard' }, null);
      return finish(s);
    }
    try {
      const outputs = await (c ? executeC : executeGpu)(s, result, g, o);
      if (outputs) {
        const { formatOutputs } = await import('../results.js');
        cx.out(formatOutputs(outputs, o.format));
      }
    } catch (e) {
      const { reportInternal } = await import('../../pipeline.js');
      reportInternal(s.sink, e);
    }
    return finish(s);
  }
  // The reference for --check: the same entry after the `grad` stage, before any rewrite.
  const reference = o.check ? result.stageGraphs?.get('grad')?.entries.find(e => e.name === g.name) : undefined;
  if (o.check && !reference) throw new Error('--check: the `grad` stage graphs were not kept');
  try {
    const outputs = await execute(s, result.graphs!, g, reference, o);
    if (outputs) {
      const { formatOutputs } = await import('../results.js');
      cx.out(formatOutputs(outputs, o.format));
      if (reference && cx.diagnostics === 'text') cx.err(checkPassedLine(g, o.steps));
    }
  } catch (e) {
    const { reportInternal } = await import('../../pipeline.js');
    reportInternal(s.sink, e);
  }
  return finish(s);
}

/**
 * `--device gpu`: the device (or why there is none), the backend's checks, then N calls of the
 * entry's schedule on the GPU with the shared state resident there; the state is read back only to
 * be saved. A WgslError (WebGPU rejected a kernel or a call) is thc's bug: TH0522.
 */
async function executeGpu(s: Session, result: CompileResult, g: Graph, o: RunCommandOptions): Promise<ReadonlyMap<string, NDArray> | undefined> {
  const [{ acquireGpu, releaseGpu }, { reportNoGpu }, { checkWgslSupport }, { createWgslRunner, WgslError, WgslLimitError }, { bindArguments }, state, { ValueError }] = await Promise.all([
    import('../../gpu/device.js'), import('../gpu-report.js'), import('../../backend/wgsl/support.js'), import('../../backend/wgsl/run.js'),
    import('../../runtime/bind.js'), import('../../runtime/state.js'), import('../../runtime/value-error.js'),
  ]);
  const program = result.graphs!;
  const schedule = result.schedules?.get(g.name);
  if (!schedule) throw new Error(`no kernel schedule for ${g.name}`);
  // THC_DEBUG=kernels: per-kernel GPU times, from timestamp queries where the adapter has them.
  const kernels = debugEnabled('kernels');
  const acquired = await acquireGpu(kernels ? { features: ['timestamp-query'] } : {});
  if (!acquired.ok) {
    reportNoGpu(s.sink, acquired.reason);
    await releaseGpu();
    return undefined;
  }
  let runner: ReturnType<typeof createWgslRunner> | undefined;
  try {
    if (!checkWgslSupport(schedule, g, program, s.sink)) return undefined;
    const call = bindArguments(g, o.bindings, s.sink);
    if (!call) return undefined;
    const store: SharedStore | undefined = o.loadState !== undefined
      ? state.loadState(program.shared, o.loadState, s.sink)
      : state.initialState(program.shared, s.sink);
    if (!store) return undefined;
    runner = createWgslRunner(acquired.gpu, schedule, program, store, kernels ? { debug: line => s.cx.err(`${line}\n`) } : {});
    let outputs: ReadonlyMap<string, NDArray> = new Map();
    for (let step = 0; step < o.steps; step++) outputs = await runner.run(call);
    if (o.saveState !== undefined) {
      for (const [name, v] of await runner.readShared()) store.set(name, v);
      if (!state.saveState(store, o.saveState, s.sink)) return undefined;
    }
    return outputs;
  } catch (e) {
    if (e instanceof WgslError) s.sink.error('TH0522', { what: e.what, detail: e.detail }, null);
    else if (e instanceof WgslLimitError) s.sink.error('TH0525', { buffer: e.buffer, mib: (e.bytes / 2 ** 20).toFixed(1), limit: (e.limit / 2 ** 20).toFixed(0) }, null);
    else if (e instanceof ValueError) s.sink.error(e.code, e.args, g.span);
    else throw e;
    return undefined;
  } finally {
    runner?.destroy();
    await releaseGpu();
  }
}

/**
 * `--backend c`: bind, prepare the state, then the program as generated C (backend/c/run.ts: built
 * once per text into the cache, run as a child process for all N steps); the state comes back to be
 * saved. No compiler is TH0532; a THC_E* exit status (a shape mismatch, a run-time error) TH0535;
 * any other failure is thc's bug, TH0533.
 */
async function executeC(s: Session, result: CompileResult, g: Graph, o: RunCommandOptions): Promise<ReadonlyMap<string, NDArray> | undefined> {
  const [{ runWithC, NoCompilerError, CRunError }, { bindArguments }, state, { ValueError }] = await Promise.all([
    import('../../backend/c/run.js'), import('../../runtime/bind.js'), import('../../runtime/state.js'), import('../../runtime/value-error.js'),
  ]);
  const program = result.graphs!;
  try {
    const call = bindArguments(g, o.bindings, s.sink);
    if (!call) return undefined;
    const store: SharedStore | undefined = o.loadState !== undefined
      ? state.loadState(program.shared, o.loadState, s.sink)
      : state.initialState(program.shared, s.sink);
    if (!store) return undefined;
    const r = await runWithC(result, { entry: g.name, params: call.params, state: store }, o.steps, s.sink);
    if (!r) return undefined;
    if (o.saveState !== undefined) {
      for (const [name, v] of r.state) store.set(name, v);
      if (!state.saveState(store, o.saveState, s.sink)) return undefined;
    }
    return r.outputs;
  } catch (e) {
    if (e instanceof NoCompilerError) s.sink.error('TH0532', { tried: e.tried.join(', ') }, null);
    else if (e instanceof CRunError && e.error) s.sink.error('TH0535', { error: e.error }, g.span);
    else if (e instanceof CRunError) s.sink.error('TH0533', { what: e.what, detail: e.detail }, null);
    else if (e instanceof ValueError) s.sink.error(e.code, e.args, g.span);
    else throw e;
    return undefined;
  }
}

/** The one line `--check` prints on stderr when everything agreed (text diagnostics only). */
function checkPassedLine(g: Graph, steps: number): string {
  const n = (k: number, what: string): string => `${k} ${what}${k === 1 ? '' : 's'}`;
  return `check passed: the optimized and unoptimized graphs agree on ${n(g.outputs.length, 'output')} and ${n(g.updates.length, 'update')} over ${n(steps, 'step')}\n`;
}

/** Binds, prepares state, runs N calls and saves; undefined when something was reported. */
async function execute(s: Session, program: ProgramGraphs, g: Graph, reference: Graph | undefined, o: RunCommandOptions): Promise<ReadonlyMap<string, NDArray> | undefined> {
  const [{ bindArguments }, state, { runGraph }, { RuntimeError }, { ValueError }, guard, compare] = await Promise.all([
    import('../../runtime/bind.js'), import('../../runtime/state.js'), import('../../runtime/interp.js'),
    import('../../runtime/runtime-error.js'), import('../../runtime/value-error.js'),
    o.nanGuard ? import('../../runtime/nan-guard.js') : undefined,
    reference ? import('../../runtime/compare-graphs.js') : undefined,
  ]);
  const call = bindArguments(g, o.bindings, s.sink);
  if (!call) return undefined;
  try {
    const store: SharedStore | undefined = o.loadState !== undefined
      ? state.loadState(program.shared, o.loadState, s.sink)
      : state.initialState(program.shared, s.sink);
    if (!store) return undefined;
    let outputs: ReadonlyMap<string, NDArray> = new Map();
    // The store is updated in place, so one environment serves every step.
    const env: InterpEnv = { params: call.params, shared: store, dims: call.dims };
    const guarded: InterpEnv = guard ? { ...env, observe: guard.nanGuard } : env;
    for (let step = 0; step < o.steps; step++) {
      const r = runGraph(g, guarded);
      if (reference && compare && compare.reportDifference(g, r, runGraph(reference, env), step + 1, s.sink)) return undefined;
      state.applyUpdates(store, r.updates);
      outputs = r.outputs;
    }
    if (o.saveState !== undefined && !state.saveState(store, o.saveState, s.sink)) return undefined;
    return outputs;
  } catch (e) {
    if (e instanceof RuntimeError) s.sink.error(e.code, e.args, e.span);
    else if (e instanceof ValueError) s.sink.error(e.code, e.args, g.span);
    else throw e;
    return undefined;
  }
}
