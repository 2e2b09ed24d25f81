/**
 * @file Kernel bodies: turns one fusion group into the expressions its kernel evaluates. Consumes a
 * Group and the Partition (which nodes are stored); produces a KernelDraft: the core's operand
 * expressions (a reduce's prologue, or one stored read per matmul/gather/... operand), the body (the
 * whole elementwise kernel, or the epilogue), the buffers read with their index maps, the write map,
 * the members and source lines. Views never become values: walking down through one composes its
 * step into the path, and a leaf at the bottom gets the composed IndexMap (index-map.ts).
 */
import type { Node } from '../graph/node.js';
import type { Dim } from '../sema/dims.js';
import { dimAdd } from '../sema/dims.js';
import { normalizeAxis } from '../sema/shapes.js';
import type { KernelKind } from '../ops/registry.js';
import { applySteps, applyStep, contiguousMap, mapKey, type IndexMap, type ViewStep } from './index-map.js';
import type { Roles } from './roles.js';
import type { Group, Partition } from './fusion.js';
import type { Expr, SourceLines, Value } from './types.js';

/** A kernel before buffers are assigned: inputs and the output are values (graph nodes). */
export interface KernelDraft {
  readonly kind: KernelKind;
  readonly root: Node;
  readonly core: Node | null;
  readonly part: number | null;
  readonly members: readonly Node[];
  readonly inputs: readonly { readonly value: Node; readonly maps: readonly IndexMap[] }[];
  readonly output: { readonly value: Node; readonly map: IndexMap };
  readonly shape: readonly Dim[];
  readonly args: readonly Expr[];
  readonly body: Expr;
  readonly lines: readonly SourceLines[];
  /** The name without its `k<index>_` prefix: the core op, then the fused ops, inputs first. */
  readonly label: string;
}

/** View steps from a node up to the expression's space, the step nearest the node first. */
interface Path { readonly step: ViewStep; readonly key: string; readonly next: Path | null }

const cons = (step: ViewStep, next: Path | null): Path => ({ step, next, key: `${JSON.stringify(step)}|${next?.key ?? ''}` });

function stepsOf(p: Path | null): ViewStep[] {
  const out: ViewStep[] = [];
  for (let q = p; q !== null; q = q.next) out.push(q.step);
  return out;
}

const sameShape = (a: readonly Dim[], b: readonly Dim[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** State shared by every expression of one kernel: its inputs, members and the views it walked. */
interface KernelCx {
  readonly roles: Roles;
  readonly stored: (n: Node) => boolean;
  readonly inputs: Map<Node, { index: number; maps: Map<string, IndexMap> }>;
  readonly members: Set<Node>;
  readonly views: Set<Node>;
}

export function buildKernel(g: Group, p: Partition, roles: Roles, entryFile: string): KernelDraft {
  const self = g.part === null ? g.root : null;
  const cx: KernelCx = {
    roles,
    // The kernel's own root is computed here, not loaded.
    stored: n => p.stored.has(n) && n !== self,
    inputs: new Map(),
    members: new Set(),
    views: new Set(),
  };
  const core = g.core;
  let args: Expr[] = [];
  if (core !== null) {
    args = g.kind === 'reduce'
      ? [expr(core.inputs[0]!, null, cx)]
      : core.inputs.map(x => operand(x, cx));
    cx.members.add(core);
  }
  let body: Expr;
  let output: KernelDraft['output'];
  if (g.part !== null) {
    const x = g.root.inputs[g.part]!;
    body = expr(x, null, cx);
    output = { value: g.root, map: partMap(g.root, g.part) };
  } else {
    body = expr(g.root, core, cx);
    output = { value: g.root, map: contiguousMap(g.root.type.shape) };
  }
  // A returned leaf or view is only copied: the kernel computes nothing of its own.
  const rootRole = roles.of(g.root).kind;
  if (rootRole === 'elementwise' || rootRole === 'core' || rootRole === 'source') cx.members.add(g.root);
  const position = p.position;
  const members = [...cx.members].sort((a, b) => position.get(a)! - position.get(b)!);
  const inputs = [...cx.inputs].sort((a, b) => a[1].index - b[1].index).map(([value, i]) => ({ value, maps: [...i.maps.values()] }));
  return {
    kind: g.kind, root: g.root, core, part: g.part, members, inputs, output, shape: body.shape, args, body,
    lines: sourceLines([...members, ...cx.views, g.root], entryFile),
    label: label(g, members),
  };
}

/** A matmul/gather/... operand: one stored read (a buffer through views, a scalar, an index source). */
function operand(x: Node, cx: KernelCx): Expr {
  const e = expr(x, null, cx);
  if (e.values.length !== 1 || e.values[0]!.kind === 'op') throw new Error(`operand ${x.op} of a kernel core is not stored`);
  return e;
}

/**
 * The expression computing `top` at every element of its shape. Elementwise ops become `op`
 * values (each input broadcast to the op's shape is one more view step); `core` is the kernel's
 * core; everything else is a leaf read through the composed path. Iterative: elementwise chains
 * can be thousands of nodes deep.
 */
function expr(top: Node, core: Node | null, cx: KernelCx): Expr {
  const values: Value[] = [];
  const memo = new Map<string, number>();
  interface Frame { readonly node: Node; readonly path: Path | null; readonly key: string; next: number; readonly args: number[] }
  const stack: Frame[] = [];
  /** The value index of (n, path) if it needs no expanding; otherwise pushes a frame. */
  const enter = (n0: Node, path0: Path | null): number | undefined => {
    let n = n0, path = path0;
    for (let role = cx.roles.of(n); role.kind === 'view' && n !== core && !cx.stored(n); role = cx.roles.of(n)) {
      cx.views.add(n);
      path = cons(role.step, path);
      n = n.inputs[0]!;
    }
    const key = `${n.id}@${path?.key ?? ''}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const leaf = leafValue(n, path, core, cx);
    if (leaf === undefined) {
      stack.push({ node: n, path, key, next: 0, args: [] });
      return undefined;
    }
    values.push(leaf);
    memo.set(key, values.length - 1);
    return values.length - 1;
  };
  let result = enter(top, null);
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (f.next < f.node.inputs.length) {
      const x = f.node.inputs[f.next++]!;
      const path = sameShape(x.type.shape, f.node.type.shape) ? f.path : cons({ op: 'broadcast', to: f.node.type.shape }, f.path);
      const v = enter(x, path);
      if (v !== undefined) f.args.push(v);
      continue;
    }
    stack.pop();
    values.push({ kind: 'op', node: f.node, args: f.args });
    const index = values.length - 1;
    memo.set(f.key, index);
    cx.members.add(f.node);
    if (stack.length > 0) stack[stack.length - 1]!.args.push(index);
    else result = index;
  }
  if (result !== values.length - 1) throw new Error('kernel expression does not end with its result');
  return { shape: top.type.shape, values };
}

/** The value for a node that is not expanded here, or undefined for an elementwise op to expand. */
function leafValue(n: Node, path: Path | null, core: Node | null, cx: KernelCx): Value | undefined {
  if (n === core) {
    // fusion.ts only absorbs a core read at its own index.
    if (path !== null) throw new Error(`the core ${n.op} of a kernel is read through a view`);
    return { kind: 'core' };
  }
  const role = cx.roles.of(n);
  const steps = stepsOf(path);
  switch (role.kind) {
    // Leaves are read where they live even when they are also returned (their copy is for the caller).
    case 'scalar': return { kind: 'scalar', node: n };
    case 'source': return { kind: 'source', node: n, map: applySteps(contiguousMap(n.type.shape), steps), steps };
    case 'buffer': return load(n, steps, cx);
    default:
      if (cx.stored(n)) return load(n, steps, cx);
      if (role.kind === 'elementwise') return undefined;
      throw new Error(`${n.op} is neither stored nor fused into this kernel`);
  }
}

function load(n: Node, steps: readonly ViewStep[], cx: KernelCx): Value {
  const map = applySteps(contiguousMap(n.type.shape), steps);
  let input = cx.inputs.get(n);
  if (!input) cx.inputs.set(n, input = { index: cx.inputs.size, maps: new Map() });
  input.maps.set(mapKey(map), map);
  return { kind: 'load', input: input.index, map, steps };
}

/** Where concat operand `part` lands: its slice of the concat's buffer along the axis. */
function partMap(c: Node, part: number): IndexMap {
  const shape = c.type.shape;
  const axis = normalizeAxis(Number(c.attrs['axis'] ?? 0), shape.length)!;
  let start: Dim = 0;
  for (let i = 0; i < part; i++) start = dimAdd(start, c.inputs[i]!.type.shape[axis]!);
  const len = c.inputs[part]!.type.shape[axis]!;
  const axes = shape.map((d, i) => (i === axis ? { kind: 'range' as const, start, len, step: 1 } : { kind: 'range' as const, start: 0, len: d, step: 1 }));
  return applyStep(contiguousMap(shape), { op: 'slice', axes });
}

/** `sum_softplus_neg`: the core op first, then the other computed ops inputs-first; `copy` for none. */
function label(g: Group, members: readonly Node[]): string {
  const names: string[] = [];
  if (g.part !== null) names.push('concat');
  if (g.core) names.push(g.core.op);
  for (const m of members) if (m !== g.core && m.op !== 'concat' && !names.includes(m.op)) names.push(m.op);
  return (names.length === 0 ? ['copy'] : names.slice(0, 3)).join('_');
}

/** Distinct lines per file, the entry's own file first; spans of built-in nodes are skipped. */
function sourceLines(nodes: readonly Node[], entryFile: string): SourceLines[] {
  const byFile = new Map<string, Set<number>>();
  for (const n of nodes) {
    if (n.span.file.startsWith('<builtin')) continue;
    let s = byFile.get(n.span.file);
    if (!s) byFile.set(n.span.file, s = new Set());
    s.add(n.span.line);
  }
  const files = [...byFile.keys()].sort((a, b) => (a === entryFile ? -1 : b === entryFile ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return files.map(file => ({ file, lines: [...byFile.get(file)!].sort((a, b) => a - b) }));
}
