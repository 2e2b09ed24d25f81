/**
 * @file A DiagnosticSink wrapper for inlining: while a function body is inlined at a call, every
 * diagnostic reported gets a secondary label "in this call to `f`" at the call site (innermost
 * call first), so an error inside a generic function points at both the definition and the use.
 */
import { sameSpan, type Span } from '../source/span.js';
import type { Diagnostic } from '../diag/diagnostic.js';
import { makeDiagnostic } from '../diag/diagnostic.js';
import type { DiagnosticSink } from '../diag/sink.js';
import { fillTemplate } from '../diag/codes.js';
import { semaLabels } from '../diag/codes/sema.js';

export interface CallSink extends DiagnosticSink {
  /** Enters an inlined call of `fn` made at `site`. */
  push(site: Span, fn: string): void;
  pop(): void;
  /** Runs f with no call frames (for code whose errors don't depend on the caller, like constants). */
  withoutFrames<T>(f: () => T): T;
}

export function createCallSink(inner: DiagnosticSink): CallSink {
  let frames: { site: Span; fn: string }[] = [];
  const decorate = (d: Diagnostic): Diagnostic => {
    if (frames.length === 0) return d;
    const labels = [...frames].reverse()
      .filter(f => !sameSpan(f.site, d.primary?.span))
      .map(f => ({ span: f.site, message: fillTemplate(semaLabels.inCall, { fn: f.fn }) }));
    return { ...d, secondary: [...d.secondary, ...labels] };
  };
  const sink: CallSink = {
    get diagnostics() { return inner.diagnostics; },
    report: d => inner.report(decorate(d)),
    error: (code, args, span, extras) => sink.report(makeDiagnostic(code, args, span, extras)),
    get errorCount() { return inner.errorCount; },
    hasErrors: () => inner.hasErrors(),
    push(site, fn) { frames.push({ site, fn }); },
    pop() { frames.pop(); },
    withoutFrames(f) {
      const saved = frames;
      frames = [];
      try { return f(); } finally { frames = saved; }
    },
  };
  return sink;
}


