/**
 * @file The syntax phase's entry point: the direct parser for error-free files (parse-direct.ts),
 * else the careful path, lex + parse (Chevrotain, with recovery) + CST-to-AST, which reports
 * every problem.
 * Consumes: a SourceFile. Produces: a Program (always, with ErrorExpr placeholders where recovery
 * was needed) and every lexical/syntax error (TH01xx) in the sink, sorted by position.
 * Chevrotain errors carry a JSON-encoded code + arguments (see parser.ts) that are mapped here.
 */
import type { IRecognitionException, IToken } from 'chevrotain';
import type { SourceFile } from '../source/source-file.js';
import type { Span } from '../source/span.js';
import { createSink, type DiagnosticSink } from '../diag/sink.js';
import type { Diagnostic, Label } from '../diag/diagnostic.js';
import type { Decl, Program } from './ast.js';
import type { ProgramCstNode } from './cst.js';
import { recoveringParser, type ParseErrorInfo } from './parser.js';
import * as T from './tokens.js';
import { programToAst, syntaxLabel } from './to-ast.js';
import { parseDirect } from './parse-direct.js';

const { EOF } = T.chev;

/** Tokens that can start a declaration: where parsing restarts after unparseable input. */
const DECL_START = new Set([T.Fn, T.Let, T.Shared, T.Use, T.Type]);

export interface ParseOptions {
  /**
   * Try the direct parser first (the default; parse-direct.ts). False: always take the careful
   * path, for the tests that compare the two.
   */
  readonly direct?: boolean;
}

export function parseSource(file: SourceFile, sink: DiagnosticSink, opts: ParseOptions = {}): Program {
  if (opts.direct !== false) {
    // Undefined at anything irregular (it reports nothing): the careful path below reports it.
    const program = parseDirect(file, MAX_NESTING);
    if (program) return program;
  }
  const local = createSink();
  const decls: Decl[] = [];
  let tokens: IToken[] = [];
  const errorTokens = new Set<IToken>();
  try {
    tokens = lex(file, local);
    if (!local.diagnostics.some(d => d.code === 'TH0127')) {
      parseRest(file, tokens, 0, local, decls, errorTokens);
    }
  } catch (e) {
    // Chains of prefix operators and exponents are not bracket-nested but later phases recurse on
    // them: to-ast throws a RangeError past MAX_PREFIX_CHAIN (as would a stack overflow anywhere).
    if (e instanceof RangeError) local.error('TH0127', { limit: MAX_NESTING }, spanAt(file, 0, 0));
    else local.error('TH9001', { detail: `parser: ${e instanceof Error ? e.message : String(e)}` }, null);
  }
  // Where lexing or parsing failed (end-of-file errors count at the end of the text).
  const errorOffsets = [
    ...local.diagnostics.filter(d => d.code === 'TH0101').map(d => d.primary!.span.start),
    ...[...errorTokens].map(t => (Number.isFinite(t.startOffset) ? t.startOffset : file.text.length)),
  ];
  for (const d of inSourceOrder(local.diagnostics)) if (!isDebris(d, tokens, errorOffsets)) sink.report(d);
  return { kind: 'Program', file: file.name, decls, span: spanAt(file, 0, file.text.length) };
}

/** Parse errors and error productions come from different passes: report them in source order. */
const inSourceOrder = (ds: readonly Diagnostic[]): Diagnostic[] =>
  [...ds].sort((a, b) => (a.primary?.span.start ?? -1) - (b.primary?.span.start ?? -1));

function spanAt(file: SourceFile, start: number, end: number): Span {
  const s = file.position(start), e = file.position(end);
  return { file: file.name, start, end, line: s.line, col: s.col, endLine: e.line, endCol: e.col };
}

const tokenSpan = (file: SourceFile, t: IToken): Span => spanAt(file, t.startOffset, t.startOffset + t.image.length);

// ---------------------------------------------------------------- lexing

/**
 * Tokenizes and reports unknown characters, malformed numbers, malformed strings and brackets
 * nested deeper than MAX_NESTING, in one pass over the tokens (comparing type indices: this loop
 * runs once per token of every file, so it avoids Map lookups and regex work on common tokens).
 */
function lex(file: SourceFile, sink: DiagnosticSink): IToken[] {
  const result = T.thLexer.tokenize(file.text);
  for (const e of result.errors) {
    const text = file.text.substr(e.offset, e.length);
    sink.error('TH0101', { text }, spanAt(file, e.offset, e.offset + e.length));
  }
  const tokens = result.tokens;
  let depth = 0, nestingOk = true;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const k = t.tokenTypeIdx;
    if (k === OPEN_PAREN || k === OPEN_BRACKET || k === OPEN_BRACE) {
      if (++depth > MAX_NESTING && nestingOk) {
        sink.error('TH0127', { limit: MAX_NESTING }, tokenSpan(file, t));
        nestingOk = false;
      }
    } else if (k === CLOSE_PAREN || k === CLOSE_BRACKET || k === CLOSE_BRACE) {
      if (depth > 0) depth--;
    } else if (k === NUMBER) {
      if (!T.checkNumber(t.image)) sink.error('TH0103', { text: t.image }, tokenSpan(file, t));
    } else if (k === STRING) {
      for (const p of T.decodeString(t.image).problems) {
        if (p.kind === 'unterminated') sink.error('TH0104', {}, tokenSpan(file, t));
        else sink.error('TH0105', { text: p.text }, spanAt(file, t.startOffset + p.offset, t.startOffset + p.offset + p.text.length));
      }
    }
  }
  return tokens;
}

const OPEN_PAREN = T.LParen.tokenTypeIdx!, OPEN_BRACKET = T.LBracket.tokenTypeIdx!, OPEN_BRACE = T.LBrace.tokenTypeIdx!;
const CLOSE_PAREN = T.RParen.tokenTypeIdx!, CLOSE_BRACKET = T.RBracket.tokenTypeIdx!, CLOSE_BRACE = T.RBrace.tokenTypeIdx!;
const NUMBER = T.NumberLit.tokenTypeIdx!, STRING = T.StringLit.tokenTypeIdx!;

// ---------------------------------------------------------------- parsing

/**
 * Brackets nest at most this deep. The parser and every later phase recurse once per level
 * (several frames per bracket), so a hard limit with a clear diagnostic beats a stack overflow;
 * real programs stay far below it.
 */
export const MAX_NESTING = 100;

/**
 * Parses from token `start` to the end. When the parser stops early (input it cannot place at the
 * top level), parsing restarts at the next declaration keyword, so later errors are still reported.
 */
function parseRest(file: SourceFile, tokens: IToken[], start: number, sink: DiagnosticSink, decls: Decl[], errorTokens: Set<IToken>): void {
  const thParser = recoveringParser();
  for (;;) {
    thParser.input = start === 0 ? tokens : tokens.slice(start);
    const cst = thParser.program() as ProgramCstNode;
    let stoppedAt: IToken | null = null;
    for (const e of thParser.errors) {
      if (e.name === 'NotAllInputParsedException') stoppedAt = e.token;
      errorTokens.add(e.token);
      reportParseError(file, tokens, e, sink);
    }
    decls.push(...programToAst(cst, file, sink));
    if (!stoppedAt) return;
    let i = tokens.indexOf(stoppedAt, start) + 1;
    if (i <= start) return;
    while (i < tokens.length && !DECL_START.has(tokens[i]!.tokenType)) i++;
    if (i >= tokens.length) return;
    start = i;
  }
}

function reportParseError(file: SourceFile, tokens: IToken[], e: IRecognitionException, sink: DiagnosticSink): void {
  let info: ParseErrorInfo;
  try {
    info = JSON.parse(e.message) as ParseErrorInfo;
  } catch {
    info = { code: 'TH0102', args: { expected: 'something else', found: `\`${e.token.image}\`` } };
  }
  const span = errorSpan(file, tokens, e);
  const secondary: Label[] = [];
  if (info.closer) {
    const open = findOpener(tokens, e.token, info.closer);
    // No real opener: recovery inserted it after an earlier error, so this one is a cascade.
    if (!open) return;
    secondary.push({ span: tokenSpan(file, open), message: syntaxLabel('openedHere', { open: open.image }) });
  }
  sink.error(info.code, info.args, span, { secondary });
}

/** Tokens that end the region a parse error can leave debris in. */
const STMT_BOUNDARY = new Set([T.Fn, T.Let, T.Shared, T.Use, T.Type, T.Return, T.Semicolon, T.LBrace, T.RBrace]);

/**
 * True for a "bare expression" diagnostic about the leftovers of a declaration or statement that
 * already failed to lex or parse (`use 3`, `let = 3`, `x $ 1`): one error per mistake is enough.
 * It is debris when an error lies between the statement boundary before it and its start.
 */
function isDebris(d: Diagnostic, tokens: IToken[], errorOffsets: number[]): boolean {
  if ((d.code !== 'TH0109' && d.code !== 'TH0117') || !d.primary || errorOffsets.length === 0) return false;
  const start = d.primary.span.start;
  let k = tokens.findIndex(t => t.startOffset === start) - 1;
  while (k >= 0 && !STMT_BOUNDARY.has(tokens[k]!.tokenType)) k--;
  const boundary = k >= 0 ? tokens[k]!.startOffset : -1;
  return errorOffsets.some(p => p > boundary && p <= start);
}

/** The found token's span; at end of file, the point just after the last real token. */
function errorSpan(file: SourceFile, tokens: IToken[], e: IRecognitionException): Span {
  const t = e.token;
  if (t.tokenType !== EOF && Number.isFinite(t.startOffset)) return tokenSpan(file, t);
  const prev = [...tokens].reverse().find(x => Number.isFinite(x.startOffset));
  const at = prev ? prev.startOffset + prev.image.length : file.text.length;
  return spanAt(file, at, at);
}

/** The innermost unclosed opener of the kind that `closerName` closes, before token `at`. */
function findOpener(tokens: IToken[], at: IToken, closerName: string): IToken | null {
  const stack: IToken[] = [];
  const limit = at.tokenType === EOF || !Number.isFinite(at.startOffset) ? Infinity : at.startOffset;
  for (const t of tokens) {
    if (t.startOffset >= limit) break;
    if (t.tokenType === T.LParen || t.tokenType === T.LBracket || t.tokenType === T.LBrace) { stack.push(t); continue; }
    const closer = T.CLOSERS.get(t.tokenType);
    if (!closer) continue;
    // Pop up to the matching opener, so one stray closer does not unbalance the rest.
    const j = stack.map(s => s.tokenType).lastIndexOf(closer.open);
    if (j >= 0) stack.length = j;
  }
  const want = [...T.CLOSERS.entries()].find(([k]) => k.name === closerName)?.[1].open;
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.tokenType === want) return stack[i]!;
  return null;
}
