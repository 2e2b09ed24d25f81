/**
 * @file `thc run FILE [--fn NAME] [NAME=VALUE ...] [--device auto|gpu|cpu|interp] [--steps N]
 * [--load-state F] [--save-state F] [--format text|json] [--check] [--nan-guard] [--verbose]
 * [--no-progress]`: compiles, binds the arguments (runtime/bind.ts), creates or loads the shared
 * state (runtime/state.ts), calls the entry point N times on the chosen engine with the state
 * carried over, saves the state, prints the last outputs. Failures inside a kernel become
 * diagnostics at the user's line, exit status 1.
 * Devices (device-choice.ts decides auto and cpu):
 *  - `gpu`: the entry's kernel schedule on the WGSL backend (src/backend/wgsl) through WebGPU, the
 *    state resident on the GPU across steps; or why this machine has no GPU device (TH0503-TH0506)
 *    or why the program cannot run there (TH0520/TH0521/TH0524).
 *  - `cpu`: the program as generated C (src/backend/c: built with the system compiler, cached by
 *    content hash, all N steps in one child process). Without a C compiler, or for a program the C
 *    backend refuses (TH0530/TH0531, or a schedule it cannot make), the JS target (src/backend/js,
 *    in this process) runs it after a one-line `note:` on stderr, or the reference interpreter when
 *    the JS target refuses it too (f16): the user asked for the CPU and gets it, only slower. A
 *    run-time error on the JS target is placed by rerunning the interpreter, as for C.
 *    A run-time error in the C (a THC_E* stop: shape mismatch, index out of range...) is the user's
 *    and stays an error: the interpreter reruns the steps to report it at the operation (TH0535
 *    only if the interpreter then succeeds).
 *  - `auto` (the default): `gpu` when the program passes the WGSL support check and an adapter
 *    exists, else `cpu`; silent about the choice unless `--verbose` (the no-compiler note stays).
 *  - `interp`: the reference interpreter (runtime/interp.ts).
 * `--check` also runs the unoptimized graph (after the `grad` stage) on the same inputs and state at
 * every step and reports the first output or update that differs beyond tolerance (TH0681/2);
 * `--nan-guard` stops at the first node of the optimized graph producing NaN or inf (TH0680). Both
 * watch the interpreter: `auto` then means `interp`; `gpu` refuses them (TH0523), `cpu` too (TH0534).
 * Either way stdout holds exactly what a plain `thc run` prints, or nothing on failure.
 * `--backend c|interp` is a deprecated alias of `--device cpu|interp` (a note says so).
 * With N > 1 and stderr a terminal, a progress bar (progress.ts) runs on stderr.
 */
import type { CliContext } from '../output.js';
import type { ArgBinding } from '../../runtime/bind.js';
import type { Graph, ProgramGraphs } from '../../graph/graph.js';
import type { NDArray } from '../../runtime/ndarray.js';
import type { SharedStore } from '../../runtime/state.js';
import type { InterpEnv } from '../../runtime/interp.js';
import type { CompileResult } from '../../pipeline.js';
import type { Choice, Engine } from '../device-choice.js';
import { selectEntry } from '../args.js';
import { compileFile, createSession, finish, type Session } from '../session.js';
import { debugEnabled } from '../debug.js';
import { createProgress, type Progress } from '../progress.js';
import { fillTemplate } from '../../diag/codes.js';
import { deviceNotes } from '../../diag/codes/run.js';
import { toJsonText } from '../output.js';

export const DEVICES = ['auto', 'gpu', 'cpu', 'interp'] as const;
export type DeviceName = (typeof DEVICES)[number];
export type ResultFormat = 'text' | 'json';

export interface RunCommandOptions {
  readonly fn?: string;
  readonly bindings: readonly ArgBinding[];
  readonly device: DeviceName;
  /** The deprecated `--backend` as given (program.ts already folded it into `device`): only for its note. */
  readonly backend?: 'interp' | 'c';
  readonly steps: number;
  readonly loadState?: string;
  readonly saveState?: string;
  readonly format: ResultFormat;
  /** Compare the optimized graph against the unoptimized one at every step. */
  readonly check?: boolean;
  /** Stop at the first node producing NaN or inf. */
  readonly nanGuard?: boolean;
  /** Say on stderr which engine ran and why. */
  readonly verbose?: boolean;
  /** False: no progress bar even on a terminal (`--no-progress`). */
  readonly progress?: boolean;
}

/** A one-line note on stderr: `note: TEXT`, or with `--diagnostics json` one JSON object. */
export function printNote(cx: CliContext, text: string): void {
  cx.err(cx.diagnostics === 'json' ? `${toJsonText({ severity: 'note', message: text })}\n` : `note: ${text}\n`);
}

export async function runCommand(cx: CliContext, file: string, o: RunCommandOptions): Promise<number> {
  const s = createSession(cx, file);
  if (o.backend) printNote(cx, fillTemplate(deviceNotes.backendDeprecated, { backend: o.backend, device: o.device }));
  const tool = o.check ? '--check' : o.nanGuard ? '--nan-guard' : undefined;
  if (tool && o.device === 'cpu') {
    s.sink.error('TH0534', { flag: tool }, null);
    return finish(s);
  }
  // --check and --nan-guard watch the interpreter, so `auto` means `interp` with them.
  const device = tool && o.device === 'auto' ? 'interp' : o.device;
  const compiled = await compileFile(s, file, device === 'gpu' ? { stopAfter: 'kernels' } : o.check ? { keepStages: true } : {});
  if (!compiled) return finish(s);
  const g = selectEntry(compiled.graphs!, o.fn, s.fileName, s.sink);
  if (!g) return finish(s);
  if (device === 'gpu' && tool) {
    s.sink.error('TH0523', { flag: tool }, null);
    return finish(s);
  }
  let result = compiled;
  let choice: Choice = { engine: { kind: 'interp' } };
  if (device === 'cpu' || device === 'auto') {
    const { scheduleFor, autoChoice, cpuChoice } = await import('../device-choice.js');
    const scheduled = await scheduleFor(compiled);
    result = scheduled.result;
    choice = device === 'auto' ? await autoChoice(result, scheduled.refusal, g) : await cpuChoice(result, scheduled.refusal, true, g);
  }
  if (choice.note) printNote(cx, choice.note);
  let engine: Engine | 'gpu' = device === 'gpu' ? 'gpu' : choice.engine;
  // Compiled kernels take sizes where `_` dimensions meet to be equal; a call that breaks that runs
  // on the interpreter, which broadcasts as numpy does or reports the mismatch at the operation.
  if (engine === 'gpu' || engine.kind !== 'interp') {
    const broken = await brokenSizes(g, o);
    if (broken) {
      if (device !== 'auto' || o.verbose) printNote(cx, broken);
      engine = { kind: 'interp' };
    }
  }
  const kind = engine === 'gpu' ? 'gpu' : engine.kind;
  if (o.verbose && engine !== 'gpu') {
    const { engineText } = await import('../device-choice.js');
    printNote(cx, fillTemplate(deviceNotes.chose, { device, fn: g.name, engine: engineText(engine), why: choice.why ? `; why: ${choice.why}` : '' }));
  }
  const progress = createProgress(o.steps, {
    stream: { isTTY: cx.errIsTTY === true, ...(cx.errColumns === undefined ? {} : { columns: cx.errColumns }), write: t => cx.err(t) },
    enabled: o.progress !== false && cx.diagnostics === 'text',
    label: kind === 'interp' ? 'interp' : kind === 'c' ? 'cpu (C)' : kind === 'js' ? 'cpu (JS)' : 'gpu',
  });
  // The reference for --check: the same entry after the `grad` stage, before any rewrite.
  const reference = o.check ? result.stageGraphs?.get('grad')?.entries.find(e => e.name === g.name) : undefined;
  if (o.check && !reference) throw new Error('--check: the `grad` stage graphs were not kept');
  try {
    const outputs = kind === 'gpu' ? await executeGpu(s, result, g, o, progress)
      : kind === 'c' ? await executeC(s, result, g, o, progress)
      : kind === 'js' ? await executeJs(s, result, g, o, progress)
      : await execute(s, result.graphs!, g, reference, o, progress);
    progress.end();
    if (outputs) {
      const { formatOutputs } = await import('../results.js');
      cx.out(formatOutputs(outputs, o.format));
      if (reference && cx.diagnostics === 'text') cx.err(checkPassedLine(g, o.steps));
    }
  } catch (e) {
    progress.end();
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
async function executeGpu(s: Session, result: CompileResult, g: Graph, o: RunCommandOptions, progress: Progress): Promise<ReadonlyMap<string, NDArray> | undefined> {
  const [{ acquireGpu, releaseGpu }, { reportNoGpu }, { checkWgslSupport }, { createWgslRunner, WgslError, WgslLimitError }, { bindArguments }, state, { ValueError }] = await Promise.all([
    import('../../gpu/device.js'), import('../gpu-report.js'), import('../../backend/wgsl/support.js'), import('../../backend/wgsl/run.js'),
    import('../../runtime/bind.js'), import('../../runtime/state.js'), import('../../runtime/value-error.js'),
  ]);
  const program = result.graphs!;
  const schedule = result.schedules?.get(g.name);
  if (!schedule) throw new Error(`no kernel schedule for ${g.name}`);
  // THC_DEBUG=kernels: per-kernel GPU times, from timestamp queries where the adapter has them.
  const kernels = debugEnabled('kernels');
  // shader-f16 where the adapter has it: f16 programs run on the GPU only then (support.ts).
  const acquired = await acquireGpu({ features: kernels ? ['shader-f16', 'timestamp-query'] : ['shader-f16'] });
  if (!acquired.ok) {
    reportNoGpu(s.sink, acquired.reason);
    await releaseGpu();
    return undefined;
  }
  if (o.verbose && o.device === 'gpu') {
    const { engineText } = await import('../device-choice.js');
    printNote(s.cx, fillTemplate(deviceNotes.chose, { device: 'gpu', fn: g.name, engine: engineText({ kind: 'gpu', adapter: acquired.gpu.info }), why: '' }));
  }
  let runner: ReturnType<typeof createWgslRunner> | undefined;
  try {
    if (!checkWgslSupport(schedule, g, program, s.sink, acquired.gpu.features)) return undefined;
    const call = bindArguments(g, o.bindings, s.sink);
    if (!call) return undefined;
    const store = startState(state, program, o, s);
    if (!store) return undefined;
    runner = createWgslRunner(acquired.gpu, schedule, program, store, kernels ? { debug: line => s.cx.err(`${line}\n`) } : {});
    let outputs: ReadonlyMap<string, NDArray> = new Map();
    for (let step = 0; step < o.steps; step++) {
      outputs = await runner.run(call);
      progress.step(step + 1);
    }
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
 * `--device cpu` with a C compiler: bind, prepare the state, then the program as generated C
 * (backend/c/run.ts: built once per text into the cache, run as a child process for all N steps,
 * so the progress bar can only show the elapsed time); the state comes back to be saved. A THC_E*
 * exit status is a run-time error in the user's program: the interpreter reruns the steps (saving
 * nothing) to report it at the operation, and TH0535 stands in only if the interpreter succeeds. No
 * compiler (it vanished since device-choice.ts looked) is TH0532; any other failure is thc's bug, TH0533.
 */
async function executeC(s: Session, result: CompileResult, g: Graph, o: RunCommandOptions, progress: Progress): Promise<ReadonlyMap<string, NDArray> | undefined> {
  const [{ runWithC, NoCompilerError, CRunError }, { bindArguments }, state, { ValueError }] = await Promise.all([
    import('../../backend/c/run.js'), import('../../runtime/bind.js'), import('../../runtime/state.js'), import('../../runtime/value-error.js'),
  ]);
  const program = result.graphs!;
  const stop = progress.ticking();
  try {
    const call = bindArguments(g, o.bindings, s.sink);
    if (!call) return undefined;
    const store = startState(state, program, o, s);
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
    else if (e instanceof CRunError && e.error) {
      stop();
      const { saveState: _, ...rest } = o;
      const errors = s.sink.errorCount;
      await execute(s, program, g, undefined, rest, progress);
      if (s.sink.errorCount === errors) s.sink.error('TH0535', { error: e.error }, g.span);
    } else if (e instanceof CRunError) s.sink.error('TH0533', { what: e.what, detail: e.detail }, null);
    else if (e instanceof ValueError) s.sink.error(e.code, e.args, g.span);
    else throw e;
    return undefined;
  } finally {
    stop();
  }
}

/**
 * `--device cpu` without C (no compiler, or a program the C backend refuses) on the JS target:
 * bind, prepare the state, N calls in this process (backend/js/run.ts runWithJs), save. A run-time
 * error (TH069x) comes without a location (the kernels carry no spans): the interpreter reruns the
 * steps (saving nothing) to report it at the operation, as the C path does; should the interpreter
 * succeed, the JS target's error is reported at the entry point.
 */
async function executeJs(s: Session, result: CompileResult, g: Graph, o: RunCommandOptions, progress: Progress): Promise<ReadonlyMap<string, NDArray> | undefined> {
  const [{ runWithJs }, { bindArguments }, state, { RuntimeError }, { ValueError }] = await Promise.all([
    import('../../backend/js/run.js'), import('../../runtime/bind.js'), import('../../runtime/state.js'),
    import('../../runtime/runtime-error.js'), import('../../runtime/value-error.js'),
  ]);
  const program = result.graphs!;
  const call = bindArguments(g, o.bindings, s.sink);
  if (!call) return undefined;
  try {
    const store = startState(state, program, o, s);
    if (!store) return undefined;
    const r = runWithJs(result, { entry: g.name, params: call.params, state: store, dims: call.dims }, o.steps, s.sink, k => progress.step(k));
    if (!r) return undefined;
    if (o.saveState !== undefined) {
      for (const [name, v] of r.state) store.set(name, v);
      if (!state.saveState(store, o.saveState, s.sink)) return undefined;
    }
    return r.outputs;
  } catch (e) {
    if (e instanceof RuntimeError && !e.span) {
      const { saveState: _, ...rest } = o;
      const errors = s.sink.errorCount;
      await execute(s, program, g, undefined, rest, progress);
      if (s.sink.errorCount === errors) s.sink.error(e.code, e.args, g.span);
    } else if (e instanceof RuntimeError) s.sink.error(e.code, e.args, e.span);
    else if (e instanceof ValueError) s.sink.error(e.code, e.args, g.span);
    else throw e;
    return undefined;
  }
}

/**
 * The note for a call whose bound sizes break what the compiled kernels assume where `_`
 * dimensions meet (schedule/assumptions.ts), or undefined. Binding errors are left to the engine,
 * which reports them as usual.
 */
async function brokenSizes(g: Graph, o: RunCommandOptions): Promise<string | undefined> {
  const [{ sizeAssumptions, brokenAssumption }, { bindArguments }, { createSink }] = await Promise.all([
    import('../../schedule/assumptions.js'), import('../../runtime/bind.js'), import('../../diag/sink.js'),
  ]);
  const list = sizeAssumptions(g);
  if (list.length === 0) return undefined;
  const call = bindArguments(g, o.bindings, createSink());
  const broken = call && brokenAssumption(list, call.dims);
  if (!broken) return undefined;
  const sp = broken.node.span;
  return fillTemplate(deviceNotes.sizesBroken, { where: `${sp.file}:${sp.line}:${sp.col}`, av: String(broken.a.size), bv: String(broken.b.size) });
}

/** The shared state a run starts from: `--load-state`'s file, else the initializers. */
function startState(state: typeof import('../../runtime/state.js'), program: ProgramGraphs, o: RunCommandOptions, s: Session): SharedStore | undefined {
  return o.loadState !== undefined ? state.loadState(program.shared, o.loadState, s.sink) : state.initialState(program.shared, s.sink);
}

/** The one line `--check` prints on stderr when everything agreed (text diagnostics only). */
function checkPassedLine(g: Graph, steps: number): string {
  const n = (k: number, what: string): string => `${k} ${what}${k === 1 ? '' : 's'}`;
  return `check passed: the optimized and unoptimized graphs agree on ${n(g.outputs.length, 'output')} and ${n(g.updates.length, 'update')} over ${n(steps, 'step')}\n`;
}

/** Binds, prepares state, runs N calls and saves; undefined when something was reported. */
async function execute(s: Session, program: ProgramGraphs, g: Graph, reference: Graph | undefined, o: RunCommandOptions, progress: Progress): Promise<ReadonlyMap<string, NDArray> | undefined> {
  const [{ bindArguments }, state, { runGraph }, { RuntimeError }, { ValueError }, guard, compare] = await Promise.all([
    import('../../runtime/bind.js'), import('../../runtime/state.js'), import('../../runtime/interp.js'),
    import('../../runtime/runtime-error.js'), import('../../runtime/value-error.js'),
    o.nanGuard ? import('../../runtime/nan-guard.js') : undefined,
    reference ? import('../../runtime/compare-graphs.js') : undefined,
  ]);
  const call = bindArguments(g, o.bindings, s.sink);
  if (!call) return undefined;
  try {
    const store = startState(state, program, o, s);
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
      progress.step(step + 1);
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
