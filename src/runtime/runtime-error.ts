/**
 * @file RuntimeError: a failure while executing a graph (an index out of bounds, anonymous
 * dimensions that turn out not to broadcast). Carries a catalog code, args and the span of the
 * node that failed, so the CLI can point at the user's line.
 */
import type { DiagArgs } from '../diag/diagnostic.js';
import type { Span } from '../source/span.js';

export class RuntimeError extends Error {
  constructor(readonly code: string, readonly args: DiagArgs, readonly span: Span | null = null) {
    super(`${code}: ${JSON.stringify(args)}`);
  }
}
