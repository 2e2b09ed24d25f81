/**
 * @file What a C-like CPU target (C, JS) can compile, checked before any text is printed: no value
 * of a dtype the target lacks (f16; the first diagnostic points at its declaration) and every
 * operation a printer or kernel (the second names the first that has none). Each target passes
 * its `SupportSpec`: its diagnostic codes, the kernel kinds its kernel.ts prints and the op
 * table's emitter key. Reports to the sink; true when the schedule can be compiled.
 */
import type { DiagnosticSink } from '../../diag/sink.js';
import type { Graph, ProgramGraphs } from '../../graph/graph.js';
import type { CompileResult } from '../../pipeline.js';
import type { Node } from '../../graph/node.js';
import { getPrimitive } from '../../ops/registry.js';
import type { DType } from '../../sema/types.js';
import type { Schedule } from '../../schedule/types.js';

/** What a target supports, and the codes that say what it does not. */
export interface SupportSpec {
  /** The diagnostic for a value of a dtype the target lacks (args: `dtype`). */
  readonly dtypeCode: string;
  /** The diagnostic for an operation without a printer or kernel (args: `op`). */
  readonly opCode: string;
  readonly isDType: (t: DType) => boolean;
  /** Kernel kinds with a kernel (the target's kernel.ts), and the ops of `other` kernels it handles. */
  readonly kinds: ReadonlySet<string>;
  readonly otherOps: ReadonlySet<string>;
  /** The op table's emitter key. */
  readonly emit: 'c' | 'js';
}

/** The kernel kinds both CPU targets' kernel.ts print, and the ops of `other` kernels they handle. */
export const CPU_KINDS: ReadonlySet<string> = new Set(['elementwise', 'concat', 'reduce', 'matmul', 'other', 'gather', 'scatter']);
export const CPU_OTHER_OPS: ReadonlySet<string> = new Set(['one_hot']);

/** A target's check and its loop over entry points, bound to its spec. */
export function supportOf(spec: SupportSpec): {
  check: (s: Schedule, g: Graph, program: ProgramGraphs, sink: DiagnosticSink) => boolean;
  entries: (result: CompileResult, sink: DiagnosticSink) => { graph: Graph; schedule: Schedule }[] | undefined;
} {
  return { check: (s, g, program, sink) => checkSupport(spec, s, g, program, sink), entries: (result, sink) => supportedEntries(spec, result, sink) };
}

export function checkSupport(spec: SupportSpec, s: Schedule, g: Graph, program: ProgramGraphs, sink: DiagnosticSink): boolean {
  const bad = firstUnsupportedDType(spec, s, g, program);
  if (bad) {
    sink.error(spec.dtypeCode, { dtype: 'f16' }, bad.span);
    return false;
  }
  const op = firstUnsupported(spec, s);
  if (op) {
    sink.error(spec.opCode, { op: op.op }, op.span);
    return false;
  }
  return true;
}

/**
 * Every entry point of a compile result (stopped after `kernels`) with its schedule, each checked
 * (all of them, so every refusal is reported), or undefined when one cannot be compiled.
 */
export function supportedEntries(spec: SupportSpec, result: CompileResult, sink: DiagnosticSink): { graph: Graph; schedule: Schedule }[] | undefined {
  const program = result.graphs;
  if (!program) throw new Error('no graphs: compile with stopAfter "kernels"');
  const entries: { graph: Graph; schedule: Schedule }[] = [];
  let ok = true;
  for (const g of program.entries) {
    const schedule = result.schedules?.get(g.name);
    if (!schedule) throw new Error(`no kernel schedule for ${g.name}`);
    if (checkSupport(spec, schedule, g, program, sink)) entries.push({ graph: g, schedule });
    else ok = false;
  }
  return ok ? entries : undefined;
}

function firstUnsupportedDType(spec: SupportSpec, s: Schedule, g: Graph, program: ProgramGraphs): { span: Node['span'] } | undefined {
  const ok = spec.isDType;
  for (const p of g.params) if (!ok(p.type.dtype)) return p;
  const used = new Set(s.buffers.filter(b => b.kind === 'shared').map(b => b.name));
  for (const v of program.shared) if (used.has(v.name) && !ok(v.type.dtype)) return v;
  for (const k of s.kernels) {
    for (const n of k.members) if (!ok(n.type.dtype)) return n;
    for (const e of [...k.args, k.body]) for (const v of e.values) if (v.kind !== 'load' && v.kind !== 'core' && !ok(v.node.type.dtype)) return v.node;
  }
  for (const b of s.buffers) if (!ok(b.type.dtype) && b.values[0]) return b.values[0];
  return undefined;
}

function firstUnsupported(spec: SupportSpec, s: Schedule): Node | undefined {
  for (const k of s.kernels) {
    if (!spec.kinds.has(k.kind) || (k.kind === 'other' && (!k.core || !spec.otherOps.has(k.core.op)))) return k.core ?? k.root;
    for (const e of [...k.args, k.body]) {
      for (const v of e.values) {
        if ((v.kind === 'source' || v.kind === 'op') && !getPrimitive(v.node.op).emit?.[spec.emit]) return v.node;
      }
    }
  }
  return undefined;
}
