/**
 * @file What the WGSL backend can run, checked before any text is printed: every value must have
 * a GPU dtype (f32, i32, u32, bool, and f16 when the device has `shader-f16`; TH0520 points at the
 * declaration of an f64 value, or of an f16 one on a device without the feature or with no device
 * known: `thc compile` and `--device auto` before a device exists), and
 * every operation a printer or kernel (TH0521 names the first one that has none), and `uniform`
 * (TH0524) and `normal` (TH0527) must be able to reproduce the interpreter's bits (never with an
 * f16 result: the f16 rounding of the f32 map is not shown to match). Reports to the sink; true when the
 * schedule can run.
 */
import type { DiagnosticSink } from '../../diag/sink.js';
import type { Graph, ProgramGraphs } from '../../graph/graph.js';
import type { Node } from '../../graph/node.js';
import type { Span } from '../../source/span.js';
import { getPrimitive } from '../../ops/registry.js';
import type { Schedule } from '../../schedule/types.js';
import type { DType } from '../../sema/types.js';
import { isGpuDType } from './types.js';
import { normalExactInF32, uniformExactInF32 } from '../../ops/random.js';

/** Ops of `other` kernels with a WGSL kernel (kernel.ts). */
const GPU_OTHER = new Set(['one_hot']);

/**
 * `features`: the device's enabled features (Gpu.features); f16 runs only with `shader-f16`. With
 * none given (no device yet) f16 is refused.
 */
export function checkWgslSupport(s: Schedule, g: Graph, program: ProgramGraphs, sink: DiagnosticSink, features: Iterable<string> = []): boolean {
  const f16 = new Set(features).has('shader-f16');
  const ok = (t: DType): boolean => isGpuDType(t) && (t !== 'f16' || f16);
  const dtypeAt = firstNonGpuDtype(s, g, program, ok);
  if (dtypeAt) {
    sink.error('TH0520', { dtype: dtypeAt.dtype }, dtypeAt.span);
    return false;
  }
  const op = firstUnsupported(s);
  if (op) {
    sink.error('TH0521', { op: op.op }, op.span);
    return false;
  }
  const inexact = firstInexactUniform(s);
  if (inexact) {
    sink.error('TH0524', { lo: Number(inexact.attrs['lo'] ?? 0), hi: Number(inexact.attrs['hi'] ?? 1) }, inexact.span);
    return false;
  }
  const normal = firstInexactNormal(s);
  if (normal) {
    sink.error('TH0527', { mean: Number(normal.attrs['mean'] ?? 0), std: Number(normal.attrs['std'] ?? 1) }, normal.span);
    return false;
  }
  return true;
}

/**
 * The declaration the user can change: an entry parameter, then a shared variable, then the first
 * computed value (a cast or a literal written in the program).
 */
function firstNonGpuDtype(s: Schedule, g: Graph, program: ProgramGraphs, isGpuDType: (t: DType) => boolean): { dtype: string; span: Span } | undefined {
  for (const p of g.params) if (!isGpuDType(p.type.dtype)) return { dtype: p.type.dtype, span: p.span };
  const sharedUsed = new Set(s.buffers.filter(b => b.kind === 'shared').map(b => b.name));
  for (const v of program.shared) if (sharedUsed.has(v.name) && !isGpuDType(v.type.dtype)) return { dtype: v.type.dtype, span: v.span };
  for (const b of s.buffers) {
    if (!isGpuDType(b.type.dtype)) {
      const n = b.values[0];
      if (n) return { dtype: b.type.dtype, span: n.span };
    }
  }
  for (const k of s.kernels) {
    for (const n of nodesOf(k)) if (!isGpuDType(n.type.dtype)) return { dtype: n.type.dtype, span: n.span };
  }
  return undefined;
}

function nodesOf(k: Schedule['kernels'][number]): Node[] {
  const out: Node[] = [...k.members];
  for (const e of [...k.args, k.body]) for (const v of e.values) if (v.kind === 'scalar' || v.kind === 'source') out.push(v.node);
  return out;
}

/**
 * A `uniform` whose f32 map lo + (hi - lo) * u would round differently from the interpreter's f64
 * one (the op's printer is exact only for power-of-two spans: ops/random.ts).
 */
function firstInexactUniform(s: Schedule): Node | undefined {
  for (const k of s.kernels) {
    for (const e of [...k.args, k.body]) {
      for (const v of e.values) {
        if (v.kind === 'source' && v.node.op === 'uniform' && (v.node.type.dtype === 'f16' || !uniformExactInF32(Number(v.node.attrs['lo'] ?? 0), Number(v.node.attrs['hi'] ?? 1)))) return v.node;
      }
    }
  }
  return undefined;
}

/** A `normal` whose mean + std * z the GPU's f32 arithmetic would round differently (ops/random.ts). */
function firstInexactNormal(s: Schedule): Node | undefined {
  for (const k of s.kernels) {
    for (const e of [...k.args, k.body]) {
      for (const v of e.values) {
        if (v.kind === 'source' && v.node.op === 'normal' && (v.node.type.dtype === 'f16' || !normalExactInF32(Number(v.node.attrs['mean'] ?? 0), Number(v.node.attrs['std'] ?? 1)))) return v.node;
      }
    }
  }
  return undefined;
}

function firstUnsupported(s: Schedule): Node | undefined {
  for (const k of s.kernels) {
    if (k.kind === 'other' && (!k.core || !GPU_OTHER.has(k.core.op))) return k.core ?? k.root;
    for (const e of [...k.args, k.body]) {
      for (const v of e.values) {
        if (v.kind === 'source' && !getPrimitive(v.node.op).emit?.wgsl) return v.node;
        if (v.kind === 'op' && !getPrimitive(v.node.op).emit?.wgsl) return v.node;
      }
    }
  }
  return undefined;
}
