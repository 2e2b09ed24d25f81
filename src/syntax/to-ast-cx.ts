/**
 * @file The conversion context and span helpers shared by to-ast.ts and expr-to-ast.ts.
 * Consumes: Chevrotain tokens (offsets only: the lexer does not track lines, which halves what it
 * allocates). Produces: Spans (lines from the file's line index), and small list checks.
 * The parser keeps no CST locations, so every span comes from a token or a child's span.
 */
import type { CstNode, IToken } from 'chevrotain';
import type { SourceFile } from '../source/source-file.js';
import { joinSpans, syntheticSpan, type Span } from '../source/span.js';
import type { DiagnosticSink } from '../diag/sink.js';
import type { DiagArgs, DiagExtras } from '../diag/diagnostic.js';
import type * as A from './ast.js';

export interface Cx {
  readonly file: SourceFile;
  readonly sink: DiagnosticSink;
  /** The zero-width span at the start of the file: the fallback of last resort. */
  readonly origin: Span;
}

export function makeCx(file: SourceFile, sink: DiagnosticSink): Cx {
  return { file, sink, origin: syntheticSpan(file.name) };
}

/**
 * False for tokens that recovery inserted (they have no position). The lexer records only start
 * offsets; a token ends at `startOffset + image.length`.
 */
export const realToken = (t: IToken): boolean => !t.isInsertedInRecovery && Number.isFinite(t.startOffset);

/**
 * A real token's span. No token the parser sees spans lines (whitespace and comments are skipped,
 * strings end at the line's end), so one line lookup serves both ends.
 */
export function tokSpan(cx: Cx, t: IToken): Span {
  const start = t.startOffset, end = start + t.image.length;
  const line = cx.file.lineAt(start);
  const base = cx.file.lineStart(line) - 1;
  return { file: cx.file.name, start, end, line, col: start - base, endLine: line, endCol: end - base };
}

/** The span of a token that may be missing or inserted by recovery. */
export const maybeTokSpan = (cx: Cx, t: IToken | undefined): Span | null => (t && realToken(t) ? tokSpan(cx, t) : null);

/** The span from the start of the earlier of `a`, `b` to the end of the later. */
export const join = joinSpans;

export type Piece = Span | IToken | A.Expr | { readonly span: Span } | null | undefined;

export function pieceSpan(cx: Cx, p: Piece): Span | null {
  if (!p) return null;
  if ('tokenType' in p) return realToken(p) ? tokSpan(cx, p) : null;
  if ('span' in p) return p.span;
  return p as Span;
}

/**
 * The span covering every known piece; `fallback` when none is known (recovery removed them all).
 * Only the earliest-starting and latest-ending pieces are turned into spans (ties: the earlier
 * piece, as pairwise `join` would pick), and one span is built from them.
 */
export function cover(cx: Cx, fallback: Span, ...pieces: Piece[]): Span {
  let first: Piece = null, last: Piece = null;
  let start = Infinity, end = -Infinity;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i];
    if (!p) continue;
    let s: number, e: number;
    if ('tokenType' in p) {
      if (!realToken(p)) continue;
      s = p.startOffset;
      e = s + p.image.length;
    } else {
      const span = 'span' in p ? p.span : (p as Span);
      s = span.start;
      e = span.end;
    }
    if (s < start) { start = s; first = p; }
    if (e > end) { end = e; last = p; }
  }
  if (first === null) return fallback;
  const a = pieceSpan(cx, first)!;
  if (first === last) return a;
  const b = pieceSpan(cx, last)!;
  return { file: a.file, start: a.start, end: b.end, line: a.line, col: a.col, endLine: b.endLine, endCol: b.endCol };
}

/** A zero-width span right after `s` (where something missing should have been). */
export const after = (s: Span): Span => ({ file: s.file, start: s.end, end: s.end, line: s.endLine, col: s.endCol, endLine: s.endLine, endCol: s.endCol });

export const textOf = (cx: Cx, s: Span): string => cx.file.text.slice(s.start, s.end);

export function err(cx: Cx, code: string, args: DiagArgs, span: Span, extras?: DiagExtras): void {
  cx.sink.error(code, args, span, extras);
}

export const errorExpr = (span: Span): A.Expr => ({ kind: 'ErrorExpr', span });

/** The offset of the first real token under a CST node (NaN when it has none). */
export function firstOffset(n: CstNode | IToken): number {
  if ('tokenType' in n) return realToken(n) ? n.startOffset : NaN;
  let best = NaN;
  for (const key in n.children) {
    const o = firstOffset(n.children[key]![0]!);
    if (!(o >= best)) best = Number.isNaN(o) ? best : o;
  }
  return best;
}

/**
 * Checks the optional-item comma lists (`(a, b,)` is fine, `(a,, b)` is not): the grammar accepts
 * an empty slot after any comma so that a trailing comma works; a comma must follow an item.
 * The counts settle the common cases; only a suspicious list is put in source order.
 */
export function checkList(cx: Cx, items: readonly (CstNode | IToken)[], commas: readonly IToken[] | undefined, what: string): void {
  if (!commas || commas.length < items.length) return; // every slot filled
  // As many commas as items: fine when the one empty slot is the trailing one.
  if (commas.length === items.length && items.length > 0 && commas[commas.length - 1]!.startOffset > firstOffset(items[items.length - 1]!)) return;
  const seq = [...items.map(i => ({ comma: false, at: firstOffset(i), tok: undefined as IToken | undefined })),
    ...commas.map(t => ({ comma: true, at: firstOffset(t), tok: t }))]
    .filter(x => Number.isFinite(x.at)).sort((a, b) => a.at - b.at);
  let needItem = true;
  for (const x of seq) {
    if (x.comma && needItem && x.tok && realToken(x.tok)) {
      err(cx, 'TH0102', { expected: what, found: '`,`' }, tokSpan(cx, x.tok));
      return;
    }
    needItem = x.comma;
  }
}
