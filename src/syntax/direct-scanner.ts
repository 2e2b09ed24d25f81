/**
 * @file The scanner half of the direct parser (parse-direct.ts): reads the tokens of the `.th`
 * lexer (tokens.ts) from the text one at a time, keeping the current one in a few fields, so no
 * token objects are made; counts lines as it goes, so spans need no line index; and builds spans
 * with the key order of to-ast-cx.ts (tokSpan and cover).
 * Consumes: a SourceFile's text. Produces: the current token's kind, offsets, line and column, and
 * its spans. Throws BAIL at anything the careful path would report: a character no token starts
 * with, a malformed number (what `checkNumber` rejects) or string (what `decodeString` reports),
 * `**`, or brackets nested deeper than the limit.
 */
import type { SourceFile } from '../source/source-file.js';
import type { Span } from '../source/span.js';

/** Token kinds (const enum: inlined numbers). */
export const enum Tok {
  EOF, Ident, Number, String,
  Fn, Let, Return, Shared, Use, Type, And, Or, Not, True, False,
  LArrow, EqEq, NotEq, LessEq, GreaterEq, Less, Greater, Assign,
  Plus, Minus, Star, Slash, Percent, At, Caret,
  LParen, RParen, LBracket, RBracket, LBrace, RBrace, Comma, Colon, Semicolon, Dot,
  Count,
}

/** Thrown (parseDirect catches it) when the input needs the careful path. Not an Error: no stack trace to capture. */
export const BAIL = { bail: true } as const;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** `[A-Za-z0-9_]`: what may continue a name (and what makes `2x` one malformed number). */
const isNameChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 95;

/** Single-character tokens by character code (Tok.EOF: not one); the others are handled in `next`. */
const SINGLE = new Uint8Array(128);
for (const [ch, t] of [
  ['(', Tok.LParen], [')', Tok.RParen], ['[', Tok.LBracket], [']', Tok.RBracket], ['{', Tok.LBrace], ['}', Tok.RBrace],
  [',', Tok.Comma], [':', Tok.Colon], [';', Tok.Semicolon], ['.', Tok.Dot], ['+', Tok.Plus], ['-', Tok.Minus],
  ['/', Tok.Slash], ['%', Tok.Percent], ['@', Tok.At], ['^', Tok.Caret],
] as const) SINGLE[ch.charCodeAt(0)] = t;

export class Scanner {
  protected readonly text: string;
  protected readonly name: string;
  private readonly maxNesting: number;
  /** Scan position: just after the current token. */
  private pos = 0;
  /** 1-based line of `pos`, and the offset where that line starts. */
  protected line = 1;
  protected lineBegin = 0;
  /** Open brackets before `pos`. */
  private depth = 0;

  // The current token. Read through tok(): TypeScript would keep a narrowed `this.cur` across next().
  private cur: Tok = Tok.EOF;
  protected tStart = 0;
  protected tEnd = 0;
  protected tLine = 1;
  protected tCol = 1;
  /** For a number: written without `.` or exponent. */
  protected tInt = false;
  /** For a string: contains an escape (so its value needs decoding). */
  protected tEscaped = false;

  constructor(file: SourceFile, maxNesting: number) {
    this.text = file.text;
    this.name = file.name;
    this.maxNesting = maxNesting;
  }

  protected tok(): Tok {
    return this.cur;
  }

  /** Moves to the next token, skipping whitespace and comments; bails on anything the lexer rejects. */
  protected next(): void {
    const text = this.text, len = text.length;
    let p = this.pos;
    let c = 0;
    for (;;) {
      if (p >= len) {
        this.cur = Tok.EOF;
        this.tStart = this.tEnd = this.pos = len;
        return;
      }
      c = text.charCodeAt(p);
      if (c === 32 || c === 9 || c === 13) p++;
      else if (c === 10) { p++; this.line++; this.lineBegin = p; }
      else if (c === 35) { // `#` comment, to the end of the line
        p = text.indexOf('\n', p);
        if (p < 0) p = len;
      } else break;
    }
    this.tStart = p;
    this.tLine = this.line;
    this.tCol = p - this.lineBegin + 1;
    let end = p + 1;
    let t: Tok;
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) {
      while (end < len && isNameChar(text.charCodeAt(end))) end++;
      t = end - p <= 6 ? this.keyword(p, end - p) : Tok.Ident;
    } else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(p + 1)))) {
      end = this.number(p);
      t = Tok.Number;
    } else if (c < 128 && SINGLE[c] !== Tok.EOF) {
      t = SINGLE[c]!;
      if (t === Tok.LParen || t === Tok.LBracket || t === Tok.LBrace) {
        if (++this.depth > this.maxNesting) throw BAIL;
      } else if (t === Tok.RParen || t === Tok.RBracket || t === Tok.RBrace) this.depth--;
    } else if (c === 34) {
      end = this.string(p);
      t = Tok.String;
    } else {
      t = this.operator(c, text.charCodeAt(p + 1));
      if (t === Tok.LArrow || t === Tok.LessEq || t === Tok.GreaterEq || t === Tok.EqEq || t === Tok.NotEq) end++;
    }
    this.cur = t;
    this.tEnd = this.pos = end;
  }

  /** The operators that may take two characters (c, then d), longest match first as the lexer orders them. */
  private operator(c: number, d: number): Tok {
    switch (c) {
      case 42: // `**` is always an error (TH0110, or a syntax error)
        if (d === 42) throw BAIL;
        return Tok.Star;
      case 60: return d === 45 ? Tok.LArrow : d === 61 ? Tok.LessEq : Tok.Less;
      case 62: return d === 61 ? Tok.GreaterEq : Tok.Greater;
      case 61: return d === 61 ? Tok.EqEq : Tok.Assign;
      case 33: // `!` only in `!=`
        if (d !== 61) throw BAIL;
        return Tok.NotEq;
      default:
        throw BAIL; // a character no token starts with
    }
  }

  /** The keyword spelled by the name text[p, p+n) (n <= 6), or Ident. */
  private keyword(p: number, n: number): Tok {
    const text = this.text;
    switch (text.charCodeAt(p)) {
      case 102: // f
        if (n === 2 && text.charCodeAt(p + 1) === 110) return Tok.Fn;
        if (n === 5 && text.startsWith('false', p)) return Tok.False;
        return Tok.Ident;
      case 108: return n === 3 && text.startsWith('let', p) ? Tok.Let : Tok.Ident;
      case 114: return n === 6 && text.startsWith('return', p) ? Tok.Return : Tok.Ident;
      case 115: return n === 6 && text.startsWith('shared', p) ? Tok.Shared : Tok.Ident;
      case 117: return n === 3 && text.startsWith('use', p) ? Tok.Use : Tok.Ident;
      case 116: // t
        if (n !== 4) return Tok.Ident;
        if (text.startsWith('type', p)) return Tok.Type;
        return text.startsWith('true', p) ? Tok.True : Tok.Ident;
      case 97: return n === 3 && text.startsWith('and', p) ? Tok.And : Tok.Ident;
      case 111: return n === 2 && text.charCodeAt(p + 1) === 114 ? Tok.Or : Tok.Ident;
      case 110: return n === 3 && text.startsWith('not', p) ? Tok.Not : Tok.Ident;
      default: return Tok.Ident;
    }
  }

  /**
   * A number from p: the lexer's permissive pattern, but only texts `checkNumber` accepts
   * (`1e` and `2x` bail). Sets tInt; returns the end.
   */
  private number(p: number): number {
    const text = this.text;
    let int = true;
    while (isDigit(text.charCodeAt(p))) p++;
    if (text.charCodeAt(p) === 46) {
      int = false;
      p++;
      while (isDigit(text.charCodeAt(p))) p++;
    }
    let c = text.charCodeAt(p);
    if (c === 101 || c === 69) {
      int = false;
      c = text.charCodeAt(++p);
      if (c === 43 || c === 45) p++;
      if (!isDigit(text.charCodeAt(p))) throw BAIL;
      while (isDigit(text.charCodeAt(p))) p++;
    }
    if (isNameChar(text.charCodeAt(p))) throw BAIL;
    this.tInt = int;
    return p;
  }

  /** A string from its opening quote at p; only `\"` and `\\` escapes, closed on its line. Returns the end. */
  private string(p: number): number {
    const text = this.text;
    let escaped = false;
    for (p++; ; p++) {
      const c = text.charCodeAt(p);
      if (c === 34) break;
      if (c === 10 || Number.isNaN(c)) throw BAIL; // unterminated
      if (c === 92) {
        const d = text.charCodeAt(p + 1);
        if (d !== 34 && d !== 92) throw BAIL;
        escaped = true;
        p++;
      }
    }
    this.tEscaped = escaped;
    return p + 1;
  }

  /** The offset of the next token's first character (after whitespace and comments): a 2-token lookahead without scanning. */
  private peekOffset(): number {
    const text = this.text, len = text.length;
    let p = this.pos;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === 32 || c === 9 || c === 13 || c === 10) p++;
      else if (c === 35) {
        p = text.indexOf('\n', p);
        if (p < 0) return len;
      } else break;
    }
    return p;
  }

  /** True when the token after the current one is `=` (not `==`). */
  protected nextIsAssign(): boolean {
    const p = this.peekOffset();
    return this.text.charCodeAt(p) === 61 && this.text.charCodeAt(p + 1) !== 61;
  }

  /** True when the token after the current one is `<-`. */
  protected nextIsArrow(): boolean {
    const p = this.peekOffset();
    return this.text.charCodeAt(p) === 60 && this.text.charCodeAt(p + 1) === 45;
  }

  protected expect(t: Tok): void {
    if (this.tok() !== t) throw BAIL;
    this.next();
  }

  // -------------------------------------------------------------- spans (as to-ast-cx.ts builds them)

  /** The current token's span (tokSpan). */
  protected span(): Span {
    const col = this.tCol;
    return { file: this.name, start: this.tStart, end: this.tEnd, line: this.tLine, col, endLine: this.tLine, endCol: col + this.tEnd - this.tStart };
  }

  /** `cover(a, b)` for a piece starting at `a` and a later one ending at `b`: a new span in tokSpan's key order. */
  protected cover(a: Span, b: Span): Span {
    return { file: this.name, start: a.start, end: b.end, line: a.line, col: a.col, endLine: b.endLine, endCol: b.endCol };
  }

  /** `cover(a, current token)`. */
  protected coverTok(a: Span): Span {
    return { file: this.name, start: a.start, end: this.tEnd, line: a.line, col: a.col, endLine: this.tLine, endCol: this.tCol + this.tEnd - this.tStart };
  }
}
