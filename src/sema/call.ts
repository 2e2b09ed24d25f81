/**
 * @file Argument binding for calls, shared by builtins (ParamSpec) and user functions (Param):
 * positional arguments first, then keywords. Reports a positional after a keyword (TH0221), too
 * many positionals (TH0218), an unknown keyword with a suggestion (TH0215), an argument given
 * twice (TH0216) and a missing required argument (TH0217). Always returns a best-effort binding.
 */
import type { Span } from '../source/span.js';
import type { Arg } from '../syntax/ast.js';
import type { DiagnosticSink } from '../diag/sink.js';
import { nearbyNames } from '../diag/suggest.js';
import { fillTemplate } from '../diag/codes.js';
import { semaLabels } from '../diag/codes/sema.js';

export interface SigParam {
  readonly name: string;
  readonly hasDefault: boolean;
  /** Supplied by the caller of bindArgs, not by the call's arguments (shared initializers). */
  readonly preset?: boolean;
}

export interface Binding {
  /** The argument bound to each parameter (same order), null when omitted. */
  readonly args: readonly (Arg | null)[];
  /** False when an error was reported. */
  readonly ok: boolean;
}

export function bindArgs(fn: string, params: readonly SigParam[], args: readonly Arg[], callSpan: Span, sink: DiagnosticSink): Binding {
  const bound: (Arg | null)[] = new Array<Arg | null>(params.length).fill(null);
  let ok = true;
  // Positional arguments fill the non-preset parameters in order; `slot` scans forward to the next.
  let slot = 0;
  let seenKeyword = false;
  for (let a = 0; a < args.length; a++) {
    const arg = args[a]!;
    if (arg.name === null) {
      if (seenKeyword) {
        sink.error('TH0221', { fn }, arg.span);
        ok = false;
        continue;
      }
      while (slot < params.length && params[slot]!.preset) slot++;
      if (slot >= params.length) {
        const max = params.filter(p => !p.preset).length;
        sink.error('TH0218', { fn, max, count: args.filter(a => a.name === null).length }, arg.span);
        ok = false;
        continue;
      }
      bound[slot++] = arg;
      continue;
    }
    seenKeyword = true;
    const name = arg.name.name;
    let i = 0;
    while (i < params.length && (params[i]!.name !== name || params[i]!.preset)) i++;
    if (i === params.length) {
      const near = nearbyNames(name, params.filter(p => !p.preset).map(p => p.name));
      const help = near[0] ? [{ message: fillTemplate(semaLabels.similarName, { what: 'a parameter', name: near[0] }) }] : [];
      sink.error('TH0215', { fn, name }, arg.name.span, { help });
      ok = false;
      continue;
    }
    const prev = bound[i];
    if (prev) {
      sink.error('TH0216', { fn, name }, arg.span, { secondary: [{ span: prev.span, message: semaLabels.firstGiven }] });
      ok = false;
      continue;
    }
    bound[i] = arg;
  }
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (!bound[i] && !p.hasDefault && !p.preset) {
      sink.error('TH0217', { fn, name: p.name }, callSpan);
      ok = false;
    }
  }
  return { args: bound, ok };
}
