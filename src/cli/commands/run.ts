/**
 * @file `thc run FILE [--fn NAME] [NAME=VALUE ...] [--device D] [--steps N] [--load-state F]
 * [--save-state F] [--format text|json]`: compiles, binds the arguments (runtime/bind.ts), creates or
 * loads the shared state (runtime/state.ts), calls the entry point N times on the reference
 * interpreter applying each call's updates together, saves the state, prints the last outputs.
 * Failures inside a kernel (RuntimeError) become diagnostics at the user's line, exit status 1.
 */
import type { CliContext } from '../output.js';
import type { ArgBinding } from '../../runtime/bind.js';
import type { Graph, ProgramGraphs } from '../../graph/graph.js';
import type { NDArray } from '../../runtime/ndarray.js';
import type { SharedStore } from '../../runtime/state.js';
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
}

export async function runCommand(cx: CliContext, file: string, o: RunCommandOptions): Promise<number> {
  const s = createSession(cx, file);
  const result = await compileFile(s, file);
  if (!result) return finish(s);
  const g = selectEntry(result.graphs!, o.fn, s.fileName, s.sink);
  if (!g) return finish(s);
  // `auto` and `cpu` both run the reference interpreter until a GPU backend exists.
  if (o.device === 'gpu') {
    s.sink.error('TH0502', {}, null);
    return finish(s);
  }
  try {
    const outputs = await execute(s, result.graphs!, g, o);
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

/** Binds, prepares state, runs N calls and saves; undefined when something was reported. */
async function execute(s: Session, program: ProgramGraphs, g: Graph, o: RunCommandOptions): Promise<ReadonlyMap<string, NDArray> | undefined> {
  const [{ bindArguments }, state, { runGraph }, { RuntimeError }, { ValueError }] = await Promise.all([
    import('../../runtime/bind.js'), import('../../runtime/state.js'), import('../../runtime/interp.js'),
    import('../../runtime/runtime-error.js'), import('../../runtime/value-error.js'),
  ]);
  const call = bindArguments(g, o.bindings, s.sink);
  if (!call) return undefined;
  try {
    const store: SharedStore | undefined = o.loadState !== undefined
      ? state.loadState(program.shared, o.loadState, s.sink)
      : state.initialState(program.shared, s.sink);
    if (!store) return undefined;
    let outputs: ReadonlyMap<string, NDArray> = new Map();
    for (let step = 0; step < o.steps; step++) {
      const r = runGraph(g, { params: call.params, shared: store, dims: call.dims });
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
