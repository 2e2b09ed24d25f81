/**
 * @file The fast path of parsing, for files without lexical or syntax errors (nearly all of them):
 * each top-level declaration is lexed, parsed (with the recovery-free parser) and turned into AST
 * on its own, so its tokens and CST die young instead of being promoted by the garbage collector
 * with the whole file's. Declaration starts are found by a scan that reads comments, strings,
 * numbers and names with the lexer's own token patterns, so a boundary is always a token start.
 * Consumes a SourceFile; produces the declarations and the AST-phase diagnostics, or undefined as
 * soon as anything is wrong (a lexer error, a malformed literal, deep nesting, a syntax error):
 * parse.ts then parses the whole file the careful way, which reports every problem.
 */
import type { IToken } from 'chevrotain';
import type { SourceFile } from '../source/source-file.js';
import { createSink } from '../diag/sink.js';
import type { Diagnostic } from '../diag/diagnostic.js';
import type { Decl } from './ast.js';
import type { ProgramCstNode } from './cst.js';
import { fastParser } from './parser.js';
import * as T from './tokens.js';
import { programToAst } from './to-ast.js';

/** Sticky copies of the lexer's patterns for the tokens that can hide a keyword or a bracket. */
const sticky = (p: unknown): RegExp => new RegExp((p as RegExp).source, 'y');
const SCANNED: readonly RegExp[] = [T.Comment, T.StringLit, T.NumberLit].map(t => sticky(t.PATTERN));
const NAME = sticky(T.Identifier.PATTERN);
const DECL_WORDS: ReadonlySet<string> = new Set(['fn', 'let', 'shared', 'use', 'type']);

/** Offsets where top-level declarations start (0 first), or undefined if brackets nest too deep. */
function declarationStarts(text: string, maxNesting: number): number[] | undefined {
  const starts = [0];
  let depth = 0;
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) { if (++depth > maxNesting) return undefined; i++; continue; }
    if (c === 41 || c === 93 || c === 125) { if (depth > 0) depth--; i++; continue; }
    NAME.lastIndex = i;
    if (NAME.test(text)) {
      if (depth === 0 && i > 0 && DECL_WORDS.has(text.slice(i, NAME.lastIndex))) starts.push(i);
      i = NAME.lastIndex;
      continue;
    }
    let matched = false;
    for (const re of SCANNED) {
      re.lastIndex = i;
      if (re.test(text) && re.lastIndex > i) { i = re.lastIndex; matched = true; break; }
    }
    if (!matched) i++;
  }
  return starts;
}

/** Tokens of text[from, to), with file offsets; undefined on a lexer error or a malformed literal. */
function lexRange(text: string, from: number, to: number): IToken[] | undefined {
  const r = T.thLexer.tokenize(text.slice(from, to));
  if (r.errors.length > 0) return undefined;
  for (const t of r.tokens) {
    t.startOffset += from;
    if (t.tokenType === T.NumberLit && !T.checkNumber(t.image)) return undefined;
    if (t.tokenType === T.StringLit && T.decodeString(t.image).problems.length > 0) return undefined;
  }
  return r.tokens;
}

export function parseErrorFree(file: SourceFile, maxNesting: number): { decls: Decl[]; diagnostics: readonly Diagnostic[] } | undefined {
  const text = file.text;
  const starts = declarationStarts(text, maxNesting);
  if (!starts) return undefined;
  starts.push(text.length);
  const sink = createSink();
  const decls: Decl[] = [];
  for (let k = 0; k + 1 < starts.length; k++) {
    const tokens = lexRange(text, starts[k]!, starts[k + 1]!);
    if (!tokens) return undefined;
    fastParser.input = tokens;
    const cst = fastParser.program() as ProgramCstNode;
    if (fastParser.errors.length > 0) return undefined;
    for (const d of programToAst(cst, file, sink)) decls.push(d);
  }
  return { decls, diagnostics: sink.diagnostics };
}
