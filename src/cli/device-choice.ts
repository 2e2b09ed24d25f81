/**
 * @file Which engine `thc run` uses for `--device auto` and `--device cpu`. Consumes the compile
 * result (optimized graphs plus kernel schedules, or why there are none) and the entry point;
 * produces an Engine and, where the choice was not the obvious one, the reason in words.
 *  - `auto`: the GPU when the entry passes the WGSL support check (no f64, every op with a GPU
 *    form) AND an adapter exists; otherwise what `cpu` picks. The program is checked first, so an
 *    f64 program never loads Dawn; the adapter is then ruled out from the file system alone where
 *    possible (no Vulkan loader, no driver manifest, an override naming only missing files:
 *    gpu/vulkan.ts), because Dawn prints its own `Warning:` lines on stderr when it looks and finds
 *    nothing. Only when a driver may exist is Dawn asked (in-process, 0.05-0.3 s on lavapipe).
 *  - `cpu`: generated C when a C compiler exists and the C backend compiles every entry of the
 *    program (backend/c/support.ts); otherwise the JS target (backend/js, in this process) when it
 *    compiles the entry (backend/js/support.ts: not f16), else the reference interpreter; either
 *    way with a one-line note naming the engine.
 * Where `_` dimensions meet, the call's sizes are checked once bound (commands/run.ts with
 * schedule/assumptions.ts), not here. An
 * exception while scheduling or printing C becomes a reason to use the interpreter, not a crash.
 */
import type { Graph } from '../graph/graph.js';
import type { Schedule } from '../schedule/types.js';
import type { CompileResult } from '../pipeline.js';
import type { Diagnostic } from '../diag/diagnostic.js';
import type { GpuAdapterInfo } from '../gpu/device.js';
import { createSink } from '../diag/sink.js';
import { fillTemplate } from '../diag/codes.js';
import { deviceNotes } from '../diag/codes/run.js';
import { compactDiagnostic } from '../diag/compact.js';
import type { VulkanFact } from '../gpu/vulkan.js';

/** What runs the entry point. */
export type Engine =
  | { readonly kind: 'gpu'; readonly adapter: GpuAdapterInfo }
  | { readonly kind: 'c'; readonly compiler: string }
  | { readonly kind: 'js' }
  | { readonly kind: 'interp' };

/** The engine, why it was chosen (for `--verbose`), and a note the user always sees, if any. */
export interface Choice {
  readonly engine: Engine;
  /** Why not the better engine, in a few words (`--verbose` prints it). */
  readonly why?: string;
  /** Printed as `note: ...` whatever the verbosity: the fallback from `--device cpu`'s C. */
  readonly note?: string;
}

/** An exception inside a backend's preparation, as a TH9001 diagnostic to name as the reason. */
function internalRefusal(what: string, e: unknown): Diagnostic {
  const sink = createSink();
  return sink.error('TH9001', { detail: `${what}: ${e instanceof Error ? e.message : String(e)}` }, null);
}

/** A refusal as `file:line:col: message`, short enough for a one-line note. */
const where = (d: Diagnostic): string => compactDiagnostic(d).replace(/\berror\[(TH\d+)\]: (.*)$/, '$2 [$1]');

/**
 * True when the Vulkan loader surely finds no driver, told from the file system alone (Linux:
 * Dawn reaches GPUs there only through Vulkan). False means "ask Dawn".
 */
export function surelyNoAdapter(facts: readonly VulkanFact[]): boolean {
  return facts.some(f => f.kind === 'no-loader' || f.kind === 'no-manifests'
    || (f.kind === 'override' && f.files.length > 0 && f.missing.length === f.files.length));
}

/**
 * The schedules of every entry (`kernels` stage), computed here rather than by the pipeline so that
 * a program the scheduler refuses (TH0510) still runs on the interpreter: its diagnostics go to a
 * private sink and come back as the reason.
 */
export async function scheduleFor(result: CompileResult): Promise<{ result: CompileResult; refusal?: Diagnostic }> {
  if (result.schedules) return { result };
  const { scheduleProgram } = await import('../schedule/index.js');
  const sink = createSink();
  let schedules: ReturnType<typeof scheduleProgram>;
  try {
    schedules = scheduleProgram(result.graphs!, {}, sink);
  } catch (e) {
    // A bug in the scheduler must not stop a program the interpreter can run: it becomes the reason.
    return { result, refusal: internalRefusal('the kernel scheduler', e) };
  }
  return schedules ? { result: { ...result, schedules } } : { result, ...(sink.diagnostics[0] ? { refusal: sink.diagnostics[0] } : {}) };
}

/**
 * `--device auto`: the GPU when the program can run there and an adapter exists, else cpuChoice
 * (silently, apart from the no-compiler note).
 */
export async function autoChoice(result: CompileResult, refusal: Diagnostic | undefined, g: Graph): Promise<Choice> {
  const why = await gpuRefusal(result.schedules?.get(g.name), refusal, result, g);
  if (why === undefined) {
    const { acquireGpu } = await import('../gpu/device.js');
    const acquired = await acquireGpu();
    if (acquired.ok) return { engine: { kind: 'gpu', adapter: acquired.gpu.info } };
    await (await import('../gpu/device.js')).releaseGpu();
    const cpu = await cpuChoice(result, refusal, false, g);
    return { ...cpu, why: `no GPU device (${acquired.reason.kind})${cpu.why ? `, and ${cpu.why}` : ''}` };
  }
  const cpu = await cpuChoice(result, refusal, false, g);
  return { ...cpu, why: `${why}${cpu.why && cpu.why !== why ? `, and ${cpu.why}` : ''}` };
}

/** Why the entry cannot run on the GPU without asking Dawn, or undefined when Dawn must be asked. */
async function gpuRefusal(schedule: Schedule | undefined, refusal: Diagnostic | undefined, result: CompileResult, g: Graph): Promise<string | undefined> {
  if (!schedule) return refusal ? where(refusal) : 'no kernel schedule';
  const { checkWgslSupport } = await import('../backend/wgsl/support.js');
  const sink = createSink();
  if (!checkWgslSupport(schedule, g, result.graphs!, sink)) return sink.diagnostics[0] ? where(sink.diagnostics[0]) : 'not supported on the GPU';
  const { vulkanFacts } = await import('../gpu/vulkan.js');
  if (surelyNoAdapter(vulkanFacts())) return 'no Vulkan driver, so no GPU adapter';
  return undefined;
}

/** Why the JS target cannot run the entry, or undefined when it can. */
async function jsRefusal(result: CompileResult, refusal: Diagnostic | undefined, g: Graph): Promise<string | undefined> {
  const schedule = result.schedules?.get(g.name);
  if (!schedule) return refusal ? where(refusal) : 'no kernel schedule';
  const { checkJsSupport } = await import('../backend/js/support.js');
  const sink = createSink();
  try {
    if (checkJsSupport(schedule, g, result.graphs!, sink)) return undefined;
  } catch (e) {
    return where(internalRefusal('the JS target', e));
  }
  return sink.diagnostics[0] ? where(sink.diagnostics[0]) : 'not supported by the JS target';
}

/**
 * `--device cpu` (and auto without a GPU): generated C; without a C compiler (a note always) or
 * when the C backend refuses the program (a note when `explicit`), the JS target; the reference
 * interpreter when the JS target refuses the entry too (f16), with the note saying both reasons.
 */
export async function cpuChoice(result: CompileResult, refusal: Diagnostic | undefined, explicit: boolean, g: Graph): Promise<Choice> {
  const { findCompiler } = await import('../backend/c/run.js');
  const cc = findCompiler();
  if (!cc) {
    const tried = (process.env['CC'] ? [process.env['CC']] : ['cc', 'gcc', 'clang']).join(', ');
    const jsWhy = await jsRefusal(result, refusal, g);
    if (jsWhy === undefined) return { engine: { kind: 'js' }, why: 'no C compiler', note: fillTemplate(deviceNotes.noCompiler, { tried }) };
    return { engine: { kind: 'interp' }, why: `no C compiler, and ${jsWhy}`, note: fillTemplate(deviceNotes.noCompilerNoJs, { tried, why: jsWhy }) };
  }
  let reason = refusal;
  if (!reason) {
    const { cProgram } = await import('../backend/c/module.js');
    const sink = createSink();
    try {
      if (cProgram(result, sink) === undefined) reason = sink.diagnostics[0];
    } catch (e) {
      reason = internalRefusal('the C backend', e);
    }
  }
  if (reason) {
    const why = where(reason);
    const jsWhy = await jsRefusal(result, refusal, g);
    if (jsWhy === undefined) return { engine: { kind: 'js' }, why, ...(explicit ? { note: fillTemplate(deviceNotes.cRefused, { why }) } : {}) };
    return { engine: { kind: 'interp' }, why: `${why}, and ${jsWhy}`, ...(explicit ? { note: fillTemplate(deviceNotes.cpuRefused, { why, jsWhy }) } : {}) };
  }
  return { engine: { kind: 'c', compiler: cc } };
}

/** The engine in words, for `--verbose`. */
export function engineText(e: Engine): string {
  switch (e.kind) {
    case 'gpu': return `the GPU (${e.adapter.description || e.adapter.device || e.adapter.vendor || 'WebGPU'})`;
    case 'c': return `the CPU as generated C (built with ${e.compiler})`;
    case 'js': return 'the CPU as the JS target (in this process)';
    case 'interp': return 'the reference interpreter';
  }
}
