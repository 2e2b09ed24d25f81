/**
 * @file The rewrite stages after `grad`: canonical, stabilized, optimized. Each stage is one rule
 * list (lists combine by concatenation) run by the one engine (engine.ts) to a fixpoint:
 * - canonical:  canonical forms (sigmoid spellings, negations, constants to the right);
 * - stabilized: canonical + stability rules (log1p, expm1, softplus, logsumexp, softmax shift);
 * - optimized:  stabilized + identities + power specialisations + constant folding, in that
 *   order, so folding only sees what stabilization left (`log(1 + exp(800))` gives 800).
 * Consumes and produces ProgramGraphs in the same NodeTable (CSE spans the pipeline).
 */
import type { ProgramGraphs } from '../graph/graph.js';
import type { StageContext } from './trace.js';
import { rewriteProgram, type Rule } from './engine.js';
import { canonical } from './rules/canonical.js';
import { stabilize } from './rules/stabilize.js';
import { algebra } from './rules/algebra.js';
import { power } from './rules/power.js';
import { fold } from './rules/fold.js';
import { SHARE_SIGMOID_RULE, shareSigmoidRules } from './rules/share.js';

/** The rule list of each rewrite stage, in the order rules are tried on a node. */
export const STAGE_RULES = {
  canonical: [...canonical],
  stabilized: [...canonical, ...stabilize],
  optimized: [...canonical, ...stabilize, ...algebra, ...power, ...fold],
} as const satisfies Record<string, readonly Rule[]>;

export function canonicalStage(p: ProgramGraphs, cx: StageContext): ProgramGraphs {
  return rewriteProgram(p, STAGE_RULES.canonical, { stage: 'canonical', cx });
}

export function stabilizedStage(p: ProgramGraphs, cx: StageContext): ProgramGraphs {
  return rewriteProgram(p, STAGE_RULES.stabilized, { stage: 'stabilized', cx });
}

export function optimizedStage(p: ProgramGraphs, cx: StageContext): ProgramGraphs {
  const q = rewriteProgram(p, STAGE_RULES.optimized, { stage: 'optimized', cx });
  // A last pass of its own: its rule inverts a canonical one (rules/share.ts).
  const share = shareSigmoidRules(q);
  return share.length === 0 ? q : rewriteProgram(q, share, { stage: 'optimized', cx });
}

/** Every rule name, for validating `--no-rewrite NAME` (and suggesting a near one). */
export function ruleNames(): string[] {
  return [...new Set([...STAGE_RULES.optimized.map(r => r.name), SHARE_SIGMOID_RULE])];
}
