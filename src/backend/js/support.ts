/**
 * @file What the JS target can compile, checked before any text is printed: no f16 value (TH0540
 * points at its declaration) and every operation a printer or kernel (TH0541 names the first that
 * has none; every op of the table has one today). Reports to the sink; true when the entry point's schedule can be
 * compiled.
 */
import type { DiagnosticSink } from '../../diag/sink.js';
import type { Graph, ProgramGraphs } from '../../graph/graph.js';
import type { Node } from '../../graph/node.js';
import { getPrimitive } from '../../ops/registry.js';
import type { Schedule } from '../../schedule/types.js';
import { isJsDType } from './types.js';

/** Kernel kinds with a JS kernel (kernel.ts), and the ops of `other` kernels it handles. */
const JS_KINDS = new Set(['elementwise', 'concat', 'reduce', 'matmul', 'other', 'gather', 'scatter']);
const JS_OTHER = new Set(['one_hot']);

export function checkJsSupport(s: Schedule, g: Graph, program: ProgramGraphs, sink: DiagnosticSink): boolean {
  const f16 = firstF16(s, g, program);
  if (f16) {
    sink.error('TH0540', { dtype: 'f16' }, f16.span);
    return false;
  }
  const op = firstUnsupported(s);
  if (op) {
    sink.error('TH0541', { op: op.op }, op.span);
    return false;
  }
  return true;
}

function firstF16(s: Schedule, g: Graph, program: ProgramGraphs): { span: Node['span'] } | undefined {
  for (const p of g.params) if (!isJsDType(p.type.dtype)) return p;
  const used = new Set(s.buffers.filter(b => b.kind === 'shared').map(b => b.name));
  for (const v of program.shared) if (used.has(v.name) && !isJsDType(v.type.dtype)) return v;
  for (const k of s.kernels) {
    for (const n of k.members) if (!isJsDType(n.type.dtype)) return n;
    for (const e of [...k.args, k.body]) for (const v of e.values) if (v.kind !== 'load' && v.kind !== 'core' && !isJsDType(v.node.type.dtype)) return v.node;
  }
  for (const b of s.buffers) if (!isJsDType(b.type.dtype) && b.values[0]) return b.values[0];
  return undefined;
}

function firstUnsupported(s: Schedule): Node | undefined {
  for (const k of s.kernels) {
    if (!JS_KINDS.has(k.kind) || (k.kind === 'other' && (!k.core || !JS_OTHER.has(k.core.op)))) return k.core ?? k.root;
    for (const e of [...k.args, k.body]) {
      for (const v of e.values) {
        if ((v.kind === 'source' || v.kind === 'op') && !getPrimitive(v.node.op).emit?.js) return v.node;
      }
    }
  }
  return undefined;
}
