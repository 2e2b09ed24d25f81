/**
 * @file What the C backend can compile, checked before any text is printed: no f16 value (TH0530
 * points at its declaration) and every operation a printer or kernel (TH0531 names the first that
 * has none). Reports to the sink; true when
 * every entry point's schedule can be compiled.
 */
import type { DiagnosticSink } from '../../diag/sink.js';
import type { Graph, ProgramGraphs } from '../../graph/graph.js';
import type { Node } from '../../graph/node.js';
import { getPrimitive } from '../../ops/registry.js';
import type { Schedule } from '../../schedule/types.js';
import { isCDType } from './types.js';

/** Kernel kinds with a C kernel (kernel.ts), and the ops of `other` kernels it handles. */
const C_KINDS = new Set(['elementwise', 'concat', 'reduce', 'matmul', 'other', 'gather', 'scatter']);
const C_OTHER = new Set(['one_hot']);

export function checkCSupport(s: Schedule, g: Graph, program: ProgramGraphs, sink: DiagnosticSink): boolean {
  const f16 = firstF16(s, g, program);
  if (f16) {
    sink.error('TH0530', { dtype: 'f16' }, f16.span);
    return false;
  }
  const op = firstUnsupported(s);
  if (op) {
    sink.error('TH0531', { op: op.op }, op.span);
    return false;
  }
  return true;
}

function firstF16(s: Schedule, g: Graph, program: ProgramGraphs): { span: Node['span'] } | undefined {
  for (const p of g.params) if (!isCDType(p.type.dtype)) return p;
  const used = new Set(s.buffers.filter(b => b.kind === 'shared').map(b => b.name));
  for (const v of program.shared) if (used.has(v.name) && !isCDType(v.type.dtype)) return v;
  for (const k of s.kernels) {
    for (const n of k.members) if (!isCDType(n.type.dtype)) return n;
    for (const e of [...k.args, k.body]) for (const v of e.values) if (v.kind !== 'load' && v.kind !== 'core' && !isCDType(v.node.type.dtype)) return v.node;
  }
  for (const b of s.buffers) if (!isCDType(b.type.dtype) && b.values[0]) return b.values[0];
  return undefined;
}

function firstUnsupported(s: Schedule): Node | undefined {
  for (const k of s.kernels) {
    if (!C_KINDS.has(k.kind) || (k.kind === 'other' && (!k.core || !C_OTHER.has(k.core.op)))) return k.core ?? k.root;
    for (const e of [...k.args, k.body]) {
      for (const v of e.values) {
        if ((v.kind === 'source' || v.kind === 'op') && !getPrimitive(v.node.op).emit?.c) return v.node;
      }
    }
  }
  return undefined;
}
