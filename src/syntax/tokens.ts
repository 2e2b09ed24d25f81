/**
 * @file The `.th` token vocabulary and the lexer built from it (Chevrotain `createToken`).
 * Consumes: source text. Produces: IToken[] (comments and whitespace skipped) plus lexer errors.
 * Literal checks that need a diagnostic (bad numbers, bad strings) happen in parse.ts through
 * `checkNumber` / `decodeString` here, so the token patterns stay permissive and never fail.
 */
import type { TokenType } from 'chevrotain';
import { chev } from './chevrotain.js';

export { chev };

const { createToken, Lexer } = chev;

// ---------------------------------------------------------------- trivia

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED, line_breaks: true });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: Lexer.SKIPPED });

// ---------------------------------------------------------------- names and keywords

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

/** Category of every keyword: a keyword where a declaration's name belongs is an error production. */
export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA });

// ---------------------------------------------------------------- operator categories

/**
 * Every infix operator of the flat expression grammar (`operand (BinaryOp operand)*`): `or`, `and`,
 * comparisons, the `=` and `<-` error productions, `+ - * / % @`. One category means one CONSUME
 * per operator in the parser; to-ast.ts gives them their precedence.
 */
export const BinaryOp = createToken({ name: 'BinaryOp', pattern: Lexer.NA });
/** Prefix operators: `not`, `-`, `+` (where `not` may stand is checked in to-ast.ts). */
export const PrefixOp = createToken({ name: 'PrefixOp', pattern: Lexer.NA });
/** Comparison operators (`==` ... `>=`); `=` and `<-` share their precedence but not this category. */
export const CompareOp = createToken({ name: 'CompareOp', pattern: Lexer.NA });
export const AddOp = createToken({ name: 'AddOp', pattern: Lexer.NA });
export const MulOp = createToken({ name: 'MulOp', pattern: Lexer.NA });
export const UnaryOp = createToken({ name: 'UnaryOp', pattern: Lexer.NA });
/** `^`, and `**` (an error production: accepted where `^` could go, then reported). */
export const PowOp = createToken({ name: 'PowOp', pattern: Lexer.NA });

const keyword = (name: string, word: string, extra: TokenType[] = []): TokenType =>
  createToken({ name, pattern: new RegExp(word), longer_alt: Identifier, categories: [Keyword, ...extra] });

export const Fn = keyword('Fn', 'fn');
export const Let = keyword('Let', 'let');
export const Return = keyword('Return', 'return');
export const Shared = keyword('Shared', 'shared');
export const Use = keyword('Use', 'use');
export const Type = keyword('Type', 'type');
export const And = keyword('And', 'and', [BinaryOp]);
export const Or = keyword('Or', 'or', [BinaryOp]);
export const Not = keyword('Not', 'not', [PrefixOp]);
export const True = keyword('True', 'true');
export const False = keyword('False', 'false');

export const KEYWORDS: readonly TokenType[] = [Fn, Let, Return, Shared, Use, Type, And, Or, Not, True, False];

// ---------------------------------------------------------------- literals

/**
 * Numbers are lexed permissively: a malformed exponent (`1e`) or letters glued to the digits
 * (`2x`) stay one token, so parse.ts can report one precise "invalid number" instead of a
 * confusing token pair.
 */
export const NumberLit = createToken({
  name: 'NumberLit',
  pattern: /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d*)?[A-Za-z0-9_]*/,
  start_chars_hint: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.'],
});

/** A string runs to its closing quote or to the end of the line (then it is unterminated). */
export const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\n]|\\[^\n]?)*"?/ });

// ---------------------------------------------------------------- punctuation and operators

// Longest match first: `<-` before `<=` before `<`, `**` before `*`, `==` before `=`.
export const LArrow = createToken({ name: 'LArrow', pattern: /<-/, categories: [BinaryOp] });
export const EqEq = createToken({ name: 'EqEq', pattern: /==/, categories: [CompareOp, BinaryOp] });
export const NotEq = createToken({ name: 'NotEq', pattern: /!=/, categories: [CompareOp, BinaryOp] });
export const LessEq = createToken({ name: 'LessEq', pattern: /<=/, categories: [CompareOp, BinaryOp] });
export const GreaterEq = createToken({ name: 'GreaterEq', pattern: />=/, categories: [CompareOp, BinaryOp] });
export const Less = createToken({ name: 'Less', pattern: /</, categories: [CompareOp, BinaryOp] });
export const Greater = createToken({ name: 'Greater', pattern: />/, categories: [CompareOp, BinaryOp] });
export const Assign = createToken({ name: 'Assign', pattern: /=/, categories: [BinaryOp] });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, categories: [AddOp, UnaryOp, BinaryOp, PrefixOp] });
export const Minus = createToken({ name: 'Minus', pattern: /-/, categories: [AddOp, UnaryOp, BinaryOp, PrefixOp] });
export const StarStar = createToken({ name: 'StarStar', pattern: /\*\*/, categories: [PowOp] });
export const Star = createToken({ name: 'Star', pattern: /\*/, categories: [MulOp, BinaryOp] });
export const Slash = createToken({ name: 'Slash', pattern: /\//, categories: [MulOp, BinaryOp] });
export const Percent = createToken({ name: 'Percent', pattern: /%/, categories: [MulOp, BinaryOp] });
export const At = createToken({ name: 'At', pattern: /@/, categories: [MulOp, BinaryOp] });
export const Caret = createToken({ name: 'Caret', pattern: /\^/, categories: [PowOp] });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/ });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/ });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });

/** Every token type in lexing order (the order matters: keywords before Identifier, long before short). */
export const allTokens: TokenType[] = [
  WhiteSpace, Comment,
  ...KEYWORDS, Identifier,
  NumberLit, StringLit,
  LArrow, EqEq, NotEq, LessEq, GreaterEq, Less, Greater, Assign,
  Plus, Minus, StarStar, Star, Slash, Percent, At, Caret,
  LParen, RParen, LBracket, RBracket, LBrace, RBrace, Comma, Colon, Semicolon, Dot,
  BinaryOp, PrefixOp, CompareOp, AddOp, MulOp, UnaryOp, PowOp, Keyword,
];

/** Built once: lexer construction analyses every pattern, which `thc check` should not repeat. */
export const thLexer = new Lexer(allTokens, {
  // Offsets only: spans take their lines from the SourceFile's line index (to-ast-cx.ts), and
  // line/column tracking more than doubles what the lexer allocates per token.
  positionTracking: 'onlyOffset',
  ensureOptimizations: false,
  skipValidations: process.env['THC_VALIDATE_GRAMMAR'] !== '1',
});

/** Closing bracket token -> its opener, for "unclosed `(`" diagnostics. */
export const CLOSERS: ReadonlyMap<TokenType, { open: TokenType; openText: string; closeText: string }> = new Map([
  [RParen, { open: LParen, openText: '(', closeText: ')' }],
  [RBracket, { open: LBracket, openText: '[', closeText: ']' }],
  [RBrace, { open: LBrace, openText: '{', closeText: '}' }],
]);

// ---------------------------------------------------------------- literal checks

const VALID_NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The value of a number literal, or null when its text is malformed (`1e`, `2x`). */
export function checkNumber(text: string): { value: number; isInt: boolean } | null {
  if (!VALID_NUMBER.test(text)) return null;
  return { value: Number(text), isInt: !/[.eE]/.test(text) };
}

export type StringProblem =
  | { readonly kind: 'unterminated' }
  | { readonly kind: 'escape'; readonly offset: number; readonly text: string };

/**
 * Decodes a string token's text (quotes included). Problems carry offsets relative to the
 * token start; the value is still produced (an unknown escape keeps its character).
 */
export function decodeString(text: string): { value: string; problems: StringProblem[] } {
  const problems: StringProblem[] = [];
  const closed = text.length >= 2 && text.endsWith('"') && !isEscapedAt(text, text.length - 1);
  const body = text.slice(1, closed ? -1 : undefined);
  let value = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') { value += c; continue; }
    const next = body[i + 1];
    if (next === '"' || next === '\\') { value += next; i++; continue; }
    problems.push({ kind: 'escape', offset: i + 1, text: next === undefined ? '\\' : `\\${next}` });
    if (next !== undefined) { value += next; i++; }
  }
  if (!closed) problems.push({ kind: 'unterminated' });
  return { value, problems };
}

/** True when the character at `i` is preceded by an odd number of backslashes. */
function isEscapedAt(text: string, i: number): boolean {
  let n = 0;
  for (let j = i - 1; j >= 0 && text[j] === '\\'; j--) n++;
  return n % 2 === 1;
}
