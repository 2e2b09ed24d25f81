/**
 * @file The `kernels` step: lowers every entry point's optimized graph to a Schedule (kernels in
 * execution order, the buffer plan, the final copy steps). Consumes ProgramGraphs after the
 * `optimized` stage and ScheduleOptions; produces one Schedule per entry point, by name, or
 * undefined after reporting TH051x diagnostics to the sink. Pure: the graphs are not changed.
 */
import type { DiagnosticSink } from '../diag/sink.js';
import type { Graph, ProgramGraphs } from '../graph/graph.js';
import type { Node } from '../graph/node.js';
import { createRoles } from './roles.js';
import { planKernels } from './kernels.js';
import { planBuffers, type PlannedUpdate } from './buffers.js';
import { DEFAULT_MAX_BUFFERS, DEFAULT_MAX_RECOMPUTE, type Kernel, type Schedule, type ScheduleOptions } from './types.js';

export type { Schedule, ScheduleOptions } from './types.js';

/** Schedules every entry point of a program; undefined when any of them reported an error. */
export function scheduleProgram(p: ProgramGraphs, opts: ScheduleOptions, sink: DiagnosticSink): ReadonlyMap<string, Schedule> | undefined {
  const out = new Map<string, Schedule>();
  let ok = true;
  for (const g of p.entries) {
    const s = scheduleGraph(g, p, opts, sink);
    if (s) out.set(g.name, s); else ok = false;
  }
  return ok ? out : undefined;
}

export function scheduleGraph(g: Graph, p: ProgramGraphs, opts: ScheduleOptions, sink: DiagnosticSink): Schedule | undefined {
  const limits = { maxBuffers: opts.maxBuffers ?? DEFAULT_MAX_BUFFERS, maxRecompute: opts.maxRecompute ?? DEFAULT_MAX_RECOMPUTE };
  // `w <- w` writes nothing; every other update is computed into a temp and copied at the end.
  const updates: PlannedUpdate[] = g.updates
    .filter(u => !(u.node.op === 'shared' && u.node.attrs['name'] === u.name))
    .map(u => ({ name: u.name, node: u.node, type: p.shared.find(s => s.name === u.name)?.type ?? u.node.type }));
  const roots: Node[] = [...g.outputs.map(o => o.node), ...updates.map(u => u.node)];
  const roles = createRoles();
  const drafts = planKernels(roots, g.span.file, limits, roles, sink);
  if (!drafts) return undefined;
  const plan = planBuffers(g, updates, drafts, roles);
  const kernels: Kernel[] = drafts.map((d, i) => ({
    index: i,
    name: `k${i}_${d.label}`,
    kind: d.kind,
    root: d.root,
    core: d.core,
    part: d.part,
    members: d.members,
    inputs: d.inputs.map((x, j) => ({ value: x.value, buffer: plan.inputs[i]![j]!, maps: x.maps })),
    outputs: [{ value: d.output.value, buffer: plan.outputs[i]!, map: d.output.map }],
    shape: d.shape.map(String),
    args: d.args,
    body: d.body,
    lines: d.lines,
  }));
  return {
    entry: g.name, kernels, buffers: plan.buffers, releases: plan.releases, copies: plan.copies,
    outputs: plan.results, params: plan.params,
  };
}
