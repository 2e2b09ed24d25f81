/**
 * @file The layout of indexing with index tensors, shared by the WGSL and C gather/scatter kernels:
 * per axis of `x`, where its index comes from (a slice of an output axis, an int item, or an index
 * tensor at the broadcast index position), with numpy's layout as ops/indexing.ts computes it: slice
 * items keep their axes, the index tensors and int items broadcast together and their axes go where
 * the first indexed axis was (adjacent items) or first.
 */
import type { Dim } from '../../sema/dims.js';
import { dimAdd, dimSub } from '../../sema/dims.js';
import { sliceIndices, type IndexItem } from '../../ops/indexing.js';

/** One x axis of the plan: where its index comes from. */
export type AxisPlan =
  | { readonly kind: 'slice'; readonly start: Dim; readonly step: number; readonly len: Dim; readonly outAxis: number }
  | { readonly kind: 'int'; readonly index: Dim }
  | { readonly kind: 'tensor'; readonly arg: number };

export interface Plan {
  readonly axes: readonly AxisPlan[];
  /** Output axes of the broadcast index positions: [first, first + count). */
  readonly bFirst: number;
  readonly bShape: readonly Dim[];
}

/** The slice start numpy would use, symbolic where the size is (as the view rule assumes). */
function sliceStart(dim: Dim, it: Extract<IndexItem, { kind: 'slice' }>): Dim {
  const step = it.step ?? 1;
  if (typeof dim === 'number' && typeof it.start !== 'string' && typeof it.stop !== 'string') return sliceIndices(dim, it.start, it.stop, step).start;
  if (it.start === null) return step > 0 ? 0 : dimSub(dim, 1);
  return typeof it.start === 'number' && it.start < 0 ? dimAdd(dim, it.start) : it.start;
}

/**
 * The plan of `x[items]` for an x of `xShape` whose result has `outShape` (ops/indexing.ts's
 * `layout`: the broadcast index axes sit after the slices before the first indexed axis when the
 * indexed axes are adjacent, else first).
 */
export function planOf(items: readonly IndexItem[], xShape: readonly Dim[], outShape: readonly Dim[]): Plan {
  const nSlices = items.filter(it => it.kind === 'slice').length;
  const nb = outShape.length - nSlices;
  const adv = items.map((it, i) => (it.kind !== 'slice' ? i : -1)).filter(i => i >= 0);
  const adjacent = adv.length > 0 && adv[adv.length - 1]! - adv[0]! === adv.length - 1;
  const before = adjacent ? items.slice(0, adv[0]).length : 0;
  let s = 0;
  const axes = items.map((it, a): AxisPlan => {
    const dim = xShape[a]!;
    if (it.kind === 'int') return { kind: 'int', index: it.value < 0 ? dimAdd(dim, it.value) : it.value };
    if (it.kind === 'tensor') return { kind: 'tensor', arg: 1 + it.input };
    const outAxis = s < before ? s : s + nb;
    s++;
    return { kind: 'slice', start: sliceStart(dim, it), step: it.step ?? 1, len: outShape[outAxis]!, outAxis };
  });
  return { axes, bFirst: before, bShape: outShape.slice(before, before + nb) };
}


/**
 * The index into each x axis for the element at output multi-index `idx`: an int item's size
 * text, a slice's `start + step * i`, or what `tensor` returns for an index-tensor axis (the
 * backend's own read of the index tensor, with its bounds policy). `int` prints an integer literal.
 */
export function sourceIndices(plan: Plan, idx: readonly string[], dim: (d: Dim) => string, int: (n: number) => string, tensor: (axis: number, d: Extract<AxisPlan, { kind: 'tensor' }>) => string): string[] {
  return plan.axes.map((p, a) => {
    if (p.kind === 'int') return dim(p.index);
    if (p.kind === 'slice') return `(${dim(p.start)} + ${int(p.step)} * ${idx[p.outAxis]})`;
    return tensor(a, p);
  });
}
