/**
 * @file The diagnostic catalog: code -> wording. The only place user-facing wording lives.
 * Each phase owns one file under codes/ (its own range); this module merges them and fills templates.
 * Ranges: TH01xx syntax, TH02xx names/modules, TH030x-TH034x sema types, TH035x-TH039x op type rules,
 * TH04xx gradients, TH05xx targets (TH0503-TH0509: the GPU device, codes/gpu.ts; TH0510-TH0519: the
 * kernel scheduler, codes/schedule.ts; TH0520-TH0529: the WGSL backend, codes/wgsl.ts; TH0530-TH0539: the C backend, codes/c.ts), TH060x-TH064x value files, TH065x-TH069x run-time binding,
 * TH9xxx internal. Templates use `{name}` placeholders.
 */
import { syntaxCodes } from './codes/syntax.js';
import { semaCodes } from './codes/sema.js';
import { opCodes } from './codes/ops.js';
import { valueCodes } from './codes/values.js';
import { runCodes } from './codes/run.js';
import { gpuCodes } from './codes/gpu.js';
import { internalCodes } from './codes/internal.js';
import { graphCodes } from './codes/graph.js';
import { scheduleCodes } from './codes/schedule.js';
import { wgslCodes } from './codes/wgsl.js';
import { cCodes } from './codes/c.js';
import { jsCodes } from './codes/js.js';

export interface CodeInfo {
  /** Short name shown in docs and `thc explain` style listings. */
  readonly title: string;
  /** Main message: lowercase, no trailing period, states the problem, never the fix. */
  readonly message: string;
  /** Default label under the primary span. */
  readonly label?: string;
  /** A fact added as `= note:`. */
  readonly note?: string;
  /** A fix added as `help:`. */
  readonly help?: string;
  /** Longer explanation for docs/diagnostics.md. */
  readonly explain?: string;
}

export type Catalog = Readonly<Record<string, CodeInfo>>;

const parts: Catalog[] = [syntaxCodes, semaCodes, opCodes, valueCodes, runCodes, gpuCodes, graphCodes, scheduleCodes, wgslCodes, cCodes, jsCodes, internalCodes];

export const catalog: Catalog = (() => {
  const all: Record<string, CodeInfo> = {};
  for (const part of parts) {
    for (const [code, info] of Object.entries(part)) {
      if (all[code]) throw new Error(`diagnostic code ${code} is defined twice`);
      if (!/^TH\d{4}$/.test(code)) throw new Error(`bad diagnostic code ${code}`);
      all[code] = info;
    }
  }
  return all;
})();

export function codeInfo(code: string): CodeInfo {
  const info = catalog[code];
  if (!info) return { title: 'unknown', message: `unknown diagnostic code ${code}` };
  return info;
}

/** Replaces `{name}` with args[name]; a missing argument stays visible as `{name}` so tests catch it. */
export function fillTemplate(template: string, args: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in args ? String(args[k]) : m));
}
