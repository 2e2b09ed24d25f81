/**
 * @file `thc run FILE [--fn NAME] [NAME=VALUE ...] [--device D] [--steps N] [--load-state F]
 * [--save-state F] [--format text|json] [--check] [--nan-guard]`: compiles, binds the arguments
 * (runtime/bind.ts), creates or loads the shared state (runtime/state.ts), calls the entry point N
 * times on the reference interpreter applying each call's updates together, saves the state,
 * prints the last outputs. Failures inside a kernel (RuntimeError) become diagnostics at the
 * user's line, exit status 1.
 * `--check` also runs the unoptimized graph (after the `grad` stage) on the same inputs and state
 * at every step and reports the first output or update that differs beyond tolerance (TH0681/2);
 * `--nan-guard` stops at the first node of the optimized graph producing NaN or inf (TH0680).
 * Either way stdout holds exactly what a plain `thc run` prints, or nothing on failure.
 * `--device gpu` has no backend yet: it reports TH0502, or why this machine has no GPU device.
 */
import type { CliContext } from '../output.js';
import type { ArgBinding } from '../../runtime/bind.js';
import type { Graph, ProgramGraphs } from '../../graph/graph.js';
import type { NDArray } from '../../runtime/ndarray.js';
import type { SharedStore } from '../../runtime/state.js';
import type { InterpEnv } from '../../runtime/interp.js';
import { selectEntry } from '../args.js';
import { compileFile, createSession, finish, type Session } from '../session.js';

export const DEVICES = ['auto', 'gpu', 'cpu'] as const;
export type DeviceName = (typeof DEVICES)[number];
export type ResultFormat = 'text' | 'json';

export interface RunCommandOptions {
  readonly fn?: string;
  readonly bindings: readonly ArgBinding[];
  readonly device: DeviceName;
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
  const result = await compileFile(s, file, o.check ? { keepStages: true } : {});
  if (!result) return finish(s);
  const g = selectEntry(result.graphs!, o.fn, s.fileName, s.sink);
  if (!g) return finish(s);
  // `auto` and `cpu` both run the reference interpreter until a GPU backend exists.
  if (o.device === 'gpu') {
    await reportGpuDevice(s);
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
 * `--device gpu` before the GPU backend exists: TH0502 when this machine has a GPU adapter (the
 * backend is what is missing), else the precise reason there is no device (TH0503-TH0506).
 */
async function reportGpuDevice(s: Session): Promise<void> {
  const [{ acquireGpu, releaseGpu }, { reportNoGpu }] = await Promise.all([import('../../gpu/device.js'), import('../gpu-report.js')]);
  const r = await acquireGpu();
  if (r.ok) s.sink.error('TH0502', {}, null);
  else reportNoGpu(s.sink, r.reason);
  await releaseGpu();
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
