/**
 * @file Partitioning into kernels under the binding limit. Consumes one entry point's roots and the
 * schedule options; produces KernelDrafts in execution order (fusion.ts decides the groups,
 * body.ts builds each kernel). A kernel that would bind more than `maxBuffers` storage buffers is
 * split: the fused value reading the most buffers that still fits a kernel of its own is stored,
 * and fusion runs again, until every kernel fits. What cannot be split is TH0510; a node no rule
 * covers is TH0511. Diagnostics go to the sink; the result is then undefined.
 */
import type { Node } from '../graph/node.js';
import type { DiagnosticSink } from '../diag/sink.js';
import type { Roles } from './roles.js';
import { partition, type Partition } from './fusion.js';
import { buildKernel, type KernelDraft } from './body.js';

export interface KernelLimits {
  readonly maxBuffers: number;
  readonly maxRecompute: number;
}

/** Storage buffers a kernel binds: the distinct values it reads, plus the one it writes. */
export const bindingCount = (k: KernelDraft): number => k.inputs.length + 1;

export function planKernels(roots: readonly Node[], entryFile: string, limits: KernelLimits, roles: Roles, sink: DiagnosticSink): KernelDraft[] | undefined {
  const forced = new Set<Node>();
  // A first pass only finds which values get buffers, so that the recompute cost of a value
  // shared by several kernels stops at them in the pass that counts.
  let stored = partition(roots, roles, { maxRecompute: limits.maxRecompute, forced, stored: new Set() }).stored;
  for (;;) {
    const p = partition(roots, roles, { maxRecompute: limits.maxRecompute, forced, stored });
    stored = p.stored;
    if (p.unschedulable.length > 0) {
      for (const n of p.unschedulable) sink.error('TH0511', { op: n.op }, n.span);
      return undefined;
    }
    const drafts = p.groups.map(g => buildKernel(g, p, roles, entryFile));
    const over = drafts.filter(k => bindingCount(k) > limits.maxBuffers);
    if (over.length === 0) return drafts;
    let progress = false;
    for (const k of over) {
      const m = splitPoint(k, p, roles, limits.maxBuffers);
      if (m !== undefined && !forced.has(m)) { forced.add(m); progress = true; }
    }
    if (!progress) {
      for (const k of over) {
        const n = k.core ?? k.root;
        sink.error('TH0510', { op: n.op, count: bindingCount(k), limit: limits.maxBuffers, inputs: k.inputs.length }, n.span);
      }
      return undefined;
    }
  }
}

/**
 * The fused member to store so that `k` binds fewer buffers: among the elementwise members (not
 * the root or core) whose own kernel would fit (its reads plus its output), the one reading the
 * most distinct buffers, the earliest on ties; an epilogue member counts the core's reads too. A
 * member reading fewer than two saves nothing; then a core with an epilogue is stored bare.
 */
function splitPoint(k: KernelDraft, p: Partition, roles: Roles, maxBuffers: number): Node | undefined {
  const reads = new Map<Node, Set<number>>();
  const coreReads = new Set<number>();
  for (const e of [...k.args, k.body]) {
    const sets: Set<number>[] = [];
    for (const v of e.values) {
      const s = new Set<number>();
      if (v.kind === 'load') s.add(v.input);
      if (v.kind === 'core') for (const i of coreReads) s.add(i);
      if (v.kind === 'op') {
        for (const a of v.args) for (const i of sets[a]!) s.add(i);
        const acc = reads.get(v.node) ?? new Set<number>();
        for (const i of s) acc.add(i);
        reads.set(v.node, acc);
      }
      sets.push(s);
    }
    // The args come first: by the body, the core's reads are known.
    if (e !== k.body) for (const s of sets) for (const i of s) coreReads.add(i);
  }
  let best: Node | undefined;
  let bestCount = 1;
  for (const [m, s] of reads) {
    if (m === k.root || m === k.core || roles.of(m).kind !== 'elementwise') continue;
    if (s.size + 1 > maxBuffers || s.size < bestCount) continue;
    if (s.size > bestCount || best === undefined || p.position.get(m)! < p.position.get(best)!) { best = m; bestCount = s.size; }
  }
  if (bestCount >= 2) return best;
  return k.core !== null && k.core !== k.root ? k.core : undefined;
}
