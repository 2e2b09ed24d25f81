/**
 * @file DiagnosticSink: the collector passed to every phase (AssemblyScript's DiagnosticEmitter).
 * Phases report and keep going; the pipeline stops after a phase that reported errors.
 */
import type { Span } from '../source/span.js';
import { makeDiagnostic, type Diagnostic, type DiagArgs, type DiagExtras } from './diagnostic.js';

export interface DiagnosticSink {
  readonly diagnostics: readonly Diagnostic[];
  report(d: Diagnostic): Diagnostic;
  /** Shorthand for report(makeDiagnostic(...)). */
  error(code: string, args: DiagArgs, span: Span | null, extras?: DiagExtras): Diagnostic;
  readonly errorCount: number;
  hasErrors(): boolean;
}

export function createSink(): DiagnosticSink {
  const diagnostics: Diagnostic[] = [];
  // The same code at the same place is reported once: recovery and inlining can revisit a node.
  const seen = new Set<string>();
  const sink: DiagnosticSink = {
    diagnostics,
    report(d) {
      const key = `${d.code}|${d.primary?.span.file}|${d.primary?.span.start}|${d.primary?.span.end}|${d.message}`;
      if (!seen.has(key)) { seen.add(key); diagnostics.push(d); }
      return d;
    },
    error(code, args, span, extras) {
      return sink.report(makeDiagnostic(code, args, span, extras));
    },
    get errorCount() { return diagnostics.filter(d => d.severity === 'error').length; },
    hasErrors() { return diagnostics.some(d => d.severity === 'error'); },
  };
  return sink;
}

/** Thrown to abort a phase early with a diagnostic that has already been reported. */
export class Abort extends Error {
  constructor(readonly diagnostic: Diagnostic) { super(diagnostic.message); }
}
