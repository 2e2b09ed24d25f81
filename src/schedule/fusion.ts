/**
 * @file Fusion: which nodes of one entry point's graph are stored and which kernel computes each.
 * Consumes the roots (outputs, then updates), the node roles and a set of nodes forced into buffers
 * (kernels.ts uses it to split kernels that bind too many buffers); produces kernel groups (root,
 * core, concat part) in execution order. One pass over the nodes, consumers before producers, so a
 * node's every use is known when it is placed: docs/schedule.md states the rules this implements.
 */
import type { Node } from '../graph/node.js';
import { topoOrder } from '../graph/walk.js';
import type { KernelKind } from '../ops/registry.js';
import type { Roles } from './roles.js';

/** One kernel to build: it stores `root`; `core` is its reduce/matmul/... node (absorbed or the root). */
export interface Group {
  readonly root: Node;
  core: Node | null;
  kind: KernelKind;
  /** concat: the operand this kernel writes (the group's core stays null: each part is elementwise). */
  readonly part: number | null;
}

export interface Partition {
  /** In execution order (by the root's topological position, concat parts in operand order). */
  readonly groups: readonly Group[];
  /** Nodes that get a buffer: every group's root. */
  readonly stored: ReadonlySet<Node>;
  /** Topological position of every node (inputs first), for stable orders. */
  readonly position: ReadonlyMap<Node, number>;
  /** Nodes no rule covers (the caller reports them). */
  readonly unschedulable: readonly Node[];
}

export interface FusionOptions {
  readonly maxRecompute: number;
  readonly forced: ReadonlySet<Node>;
  /**
   * Nodes a previous pass stored: the recompute count stops at them, as it does at leaves (a value
   * is placed before its producers are, so this pass cannot know yet which of them get buffers).
   */
  readonly stored: ReadonlySet<Node>;
}

/**
 * A use of a node by a kernel region. Sites are numbered 2k (kernel k's output space: the whole
 * of an elementwise kernel, or an epilogue) and 2k+1 (its core's input space: a reduce prologue).
 * `fuse` is false when the consumer needs a stored operand (matmul, gather, ...); `identity` when
 * the site reads the node at the site's own index (no view and no broadcast anywhere on the way
 * from the site's result down to the node).
 */
interface Use { readonly site: number; readonly fuse: boolean; readonly identity: boolean }

const outSite = (k: number): number => 2 * k;
const inSite = (k: number): number => 2 * k + 1;
const sameShape = (a: Node, b: Node): boolean =>
  a.type.shape.length === b.type.shape.length && a.type.shape.every((d, i) => d === b.type.shape[i]);

export function partition(roots: readonly Node[], roles: Roles, opts: FusionOptions): Partition {
  const order = topoOrder(roots);
  const position = new Map(order.map((n, i) => [n, i]));
  const rootSet = new Set(roots);
  const groups: Group[] = [];
  const uses = new Map<Node, Use[]>();
  const recorded = new Set<string>();
  const unschedulable: Node[] = [];
  const use = (n: Node, u: Use): void => {
    // Leaves are loads wherever they are read: nobody asks for their uses.
    const role = roles.of(n).kind;
    if (role === 'scalar' || role === 'buffer' || role === 'source') return;
    // A node read twice the same way by one site is one use.
    const key = `${n.id}|${u.site}|${u.fuse ? 1 : 0}${u.identity ? 1 : 0}`;
    if (recorded.has(key)) return;
    recorded.add(key);
    const list = uses.get(n);
    if (list) list.push(u); else uses.set(n, [u]);
  };
  const newGroup = (root: Node, core: Node | null, kind: KernelKind, part: number | null = null): number => {
    groups.push({ root, core, kind, part });
    return groups.length - 1;
  };

  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i]!;
    const role = roles.of(n);
    const isRoot = rootSet.has(n) || opts.forced.has(n);
    const us = uses.get(n) ?? [];
    switch (role.kind) {
      case 'scalar': case 'buffer': case 'source':
        // Leaves are read where they are used; a returned leaf is copied into its own buffer.
        if (isRoot) newGroup(n, null, 'elementwise');
        break;
      case 'none':
        unschedulable.push(n);
        break;
      case 'view': {
        // Views are index arithmetic: their uses pass to their input, now through a view.
        const x = n.inputs[0]!;
        if (isRoot) use(x, { site: outSite(newGroup(n, null, 'elementwise')), fuse: true, identity: false });
        else for (const u of us) use(x, { ...u, identity: false });
        break;
      }
      case 'elementwise': {
        const sites = isRoot ? null : fusedSites(n, us, roles, opts);
        const placed = sites ?? [outSite(newGroup(n, null, 'elementwise'))];
        for (const s of placed) {
          // An input is read at its own index only if this node is, in that site, and shapes agree.
          const here = sites === null || us.every(u => u.site !== s || u.identity);
          for (const x of n.inputs) use(x, { site: s, fuse: true, identity: here && sameShape(x, n) });
        }
        break;
      }
      case 'core':
        placeCore(n, role.kernel, isRoot, us, { groups, use, newGroup });
        break;
    }
  }
  const ordered = [...groups].sort((a, b) => position.get(a.root)! - position.get(b.root)! || (a.part ?? 0) - (b.part ?? 0));
  return { groups: ordered, stored: new Set(groups.map(g => g.root)), position, unschedulable };
}

interface Placer {
  readonly groups: Group[];
  use(n: Node, u: Use): void;
  newGroup(root: Node, core: Node | null, kind: KernelKind, part?: number | null): number;
}

/** A reduce/matmul/gather/... node: the core of a kernel of its own, or of the kernel it is the epilogue of. */
function placeCore(n: Node, kind: Exclude<KernelKind, 'elementwise'>, isRoot: boolean, us: readonly Use[], px: Placer): void {
  if (kind === 'concat') {
    // One kernel per operand, each writing its slice; the operand's producers fuse into it.
    n.inputs.forEach((x, p) => px.use(x, { site: outSite(px.newGroup(n, null, 'concat', p)), fuse: true, identity: true }));
    return;
  }
  let k = isRoot ? -1 : absorbingGroup(n, kind, us, px.groups);
  if (k >= 0) {
    px.groups[k]!.core = n;
    px.groups[k]!.kind = kind;
  } else {
    k = px.newGroup(n, n, kind);
  }
  // A reduce reads its input as a fused prologue; every other core reads stored operands.
  const u: Use = kind === 'reduce' ? { site: inSite(k), fuse: true, identity: false } : { site: outSite(k), fuse: false, identity: false };
  for (const x of n.inputs) px.use(x, u);
}

/**
 * Where an elementwise node that is not a root is computed: the one site that uses it, or, when
 * several kernels (or a kernel's prologue and epilogue) use it, every one of them if it is cheap to
 * recompute. Null: it gets a kernel and a buffer of its own.
 */
function fusedSites(n: Node, us: readonly Use[], roles: Roles, opts: FusionOptions): number[] | null {
  if (us.length === 0 || us.some(u => !u.fuse)) return null;
  const sites = [...new Set(us.map(u => u.site))];
  if (sites.length === 1 || recomputable(n, roles, opts)) return sites;
  return null;
}

/**
 * Cheap to recompute: at most `maxRecompute` elementwise ops down to leaves, index sources and
 * values that are stored anyway (read through views), and no reduce/matmul reached at its own
 * index: that node's kernel should take this one as its epilogue rather than be stored bare.
 */
function recomputable(n: Node, roles: Roles, opts: FusionOptions): boolean {
  let ops = 0;
  const seen = new Set<Node>();
  const stack: [Node, boolean][] = [[n, true]];
  while (stack.length > 0) {
    const [m, identity] = stack.pop()!;
    const role = roles.of(m);
    if (role.kind === 'view') { stack.push([m.inputs[0]!, false]); continue; }
    if (role.kind === 'none') return false;
    if (role.kind === 'core') {
      if (identity && (role.kernel === 'reduce' || role.kernel === 'matmul')) return false;
      continue;
    }
    if (role.kind !== 'elementwise' || seen.has(m) || (m !== n && opts.stored.has(m))) continue;
    seen.add(m);
    if (++ops > opts.maxRecompute) return false;
    for (const x of m.inputs) stack.push([x, identity && sameShape(x, m)]);
  }
  return true;
}

/**
 * The group whose epilogue a reduce/matmul becomes: every use is from one elementwise group's
 * output space, at the node's own index (same shape, no view), and that group has no core yet.
 * -1 when there is none (the node heads its own kernel).
 */
function absorbingGroup(n: Node, kind: KernelKind, us: readonly Use[], groups: readonly Group[]): number {
  if ((kind !== 'reduce' && kind !== 'matmul') || us.length === 0) return -1;
  const site = us[0]!.site;
  if (site % 2 !== 0 || !us.every(u => u.fuse && u.identity && u.site === site)) return -1;
  const g = groups[site / 2]!;
  return g.core === null && g.kind === 'elementwise' && g.part === null && g.root !== n ? site / 2 : -1;
}
