/**
 * @file Span: where a piece of syntax came from.
 * Every AST node, every graph node and every diagnostic label carries one. Offsets are 0-based
 * and end-exclusive; line/col are 1-based and denormalised here so printers need no file lookup.
 */

export interface Span {
  /** SourceFile.name of the file the span points into. */
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
}

/** A span covering both a and b (they must be in the same file; a wins otherwise). */
export function joinSpans(a: Span, b: Span): Span {
  if (a.file !== b.file) return a;
  const first = a.start <= b.start ? a : b;
  const last = a.end >= b.end ? a : b;
  return { file: a.file, start: first.start, line: first.line, col: first.col, end: last.end, endLine: last.endLine, endCol: last.endCol };
}

/** A zero-width span for things with no source (built-in nodes, command-line inputs). */
export function syntheticSpan(file = '<builtin>'): Span {
  return { file, start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 };
}

/** True when two spans cover the same text of the same file. */
export function sameSpan(a: Span, b: Span | undefined): boolean {
  return !!b && a.file === b.file && a.start === b.start && a.end === b.end;
}

export function formatPos(s: Span): string {
  return `${s.file}:${s.line}:${s.col}`;
}
