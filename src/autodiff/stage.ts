/**
 * @file The `grad` stage: replaces every `grad` placeholder node by its gradient subgraph.
 * STUB (contract only): returns the program unchanged until the autodiff driver lands.
 */
import type { ProgramGraphs } from '../graph/graph.js';
import type { StageContext } from '../rewrite/trace.js';

export function gradStage(p: ProgramGraphs, _cx: StageContext): ProgramGraphs {
  return p;
}
