/**
 * @file The rewrite stages after `grad`: canonical, stabilized, optimized.
 * STUB (contract only): each returns the program unchanged until the rewrite engine lands.
 */
import type { ProgramGraphs } from '../graph/graph.js';
import type { StageContext } from './trace.js';

export function canonicalStage(p: ProgramGraphs, _cx: StageContext): ProgramGraphs { return p; }
export function stabilizedStage(p: ProgramGraphs, _cx: StageContext): ProgramGraphs { return p; }
export function optimizedStage(p: ProgramGraphs, _cx: StageContext): ProgramGraphs { return p; }

/** Every rule name, for validating `--no-rewrite NAME` (and suggesting a near one). */
export function ruleNames(): string[] { return []; }
