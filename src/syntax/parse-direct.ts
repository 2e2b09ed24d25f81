/**
 * @file The direct parser: the fast path of parsing, for files without any syntax problem (nearly
 * all of them). A hand-written scanner (direct-scanner.ts) and this recursive-descent parser go
 * from the source text straight to the AST, with no token objects and no CST: the scanner keeps the
 * current token in a few mutable fields, and every span is built from those (lines are counted
 * while scanning).
 *
 * Consumes: a SourceFile. Produces: the file's Program (ast.ts), exactly as the careful path
 * (tokens.ts + parser.ts + to-ast.ts) would build them, JSON for JSON (same property order in every
 * node, same spans), or undefined as soon as anything is irregular: a character the lexer rejects,
 * a malformed number or string, any syntax error, any error production (`**`, chained comparisons,
 * `=` or `<-` in an expression, a misplaced `not`, bare expression statements, top-level
 * `return`...), brackets nested deeper than the limit, or a prefix chain past MAX_PREFIX_CHAIN.
 * parse.ts then takes the careful path, which reports every diagnostic (with recovery). The
 * careful path stays the grammar of record; tests/parse-direct.test.ts checks that the two agree.
 */
import type { SourceFile } from '../source/source-file.js';
import { joinSpans, type Span } from '../source/span.js';
import type * as A from './ast.js';
import { BAIL, Scanner, Tok } from './direct-scanner.js';
import { MAX_PREFIX_CHAIN } from './expr-to-ast.js';
import { decodeString } from './tokens.js';

// Precedence levels of expr-to-ast.ts (loosest first); 0: not an infix operator.
const OR = 1, AND = 2, NOT = 3, CMP = 4, ADD = 5, MUL = 6;

/** Infix level of each token kind: one array read per token instead of a Map lookup. */
const LEVEL = new Uint8Array(Tok.Count);
/** The operator text of each infix token kind (what the careful path takes from the token image). */
const OP_TEXT: string[] = new Array<string>(Tok.Count).fill('');
for (const [t, level, text] of [
  [Tok.Or, OR, 'or'], [Tok.And, AND, 'and'],
  [Tok.EqEq, CMP, '=='], [Tok.NotEq, CMP, '!='], [Tok.Less, CMP, '<'], [Tok.LessEq, CMP, '<='],
  [Tok.Greater, CMP, '>'], [Tok.GreaterEq, CMP, '>='],
  // Error productions in an expression; they are seen (and bailed on) where an operator can stand.
  [Tok.Assign, CMP, '='], [Tok.LArrow, CMP, '<-'],
  [Tok.Plus, ADD, '+'], [Tok.Minus, ADD, '-'],
  [Tok.Star, MUL, '*'], [Tok.Slash, MUL, '/'], [Tok.Percent, MUL, '%'], [Tok.At, MUL, '@'],
] as const) {
  LEVEL[t] = level;
  OP_TEXT[t] = text;
}

/** True for the kinds that can start an expression (the FIRST set of the grammar's `expression`). */
function startsExpression(t: Tok): boolean {
  switch (t) {
    case Tok.Ident: case Tok.Number: case Tok.String: case Tok.True: case Tok.False:
    case Tok.LParen: case Tok.LBracket: case Tok.Minus: case Tok.Plus: case Tok.Not:
      return true;
    default:
      return false;
  }
}

/**
 * The file's Program, or undefined when the careful path must parse it (see the header).
 * `maxNesting` is parse.ts's MAX_NESTING (passed in: parse.ts imports this module).
 */
export function parseDirect(file: SourceFile, maxNesting: number): A.Program | undefined {
  try {
    return new DirectParser(file, maxNesting).program();
  } catch {
    // BAIL, or a stack overflow on pathological input: the careful path decides what to report.
    // (Any other exception would be a bug here; the careful path still gives the right answer,
    // and tests/parse-direct.test.ts would see the direct parser give up on valid files.)
    return undefined;
  }
}

/** The grammar, one method per rule of parser.ts (named like it), building what to-ast.ts builds. */
class DirectParser extends Scanner {
  private ident(): A.Ident {
    if (this.tok() !== Tok.Ident) throw BAIL; // a keyword as a name is an error production (TH0126)
    const id: A.Ident = { kind: 'Ident', name: this.text.slice(this.tStart, this.tEnd), span: this.span() };
    this.next();
    return id;
  }

  // -------------------------------------------------------------- declarations (to-ast.ts)

  program(): A.Program {
    const decls: A.Decl[] = [];
    this.next();
    for (;;) {
      switch (this.tok()) {
        case Tok.EOF: {
          // The scan counted the lines, so the file's line index is not needed (nor built).
          const len = this.text.length;
          const span: Span = { file: this.name, start: 0, end: len, line: 1, col: 1, endLine: this.line, endCol: len - this.lineBegin + 1 };
          return { kind: 'Program', file: this.name, decls, span };
        }
        case Tok.Fn: decls.push(this.fnDecl()); break;
        case Tok.Let: decls.push(this.constDecl()); break;
        case Tok.Shared: decls.push(this.sharedDecl()); break;
        case Tok.Use: decls.push(this.useDecl()); break;
        case Tok.Type: decls.push(this.typeDecl()); break;
        case Tok.Semicolon: this.next(); break;
        // Top-level `return`, updates and bare expressions are error productions; the rest, syntax errors.
        default: throw BAIL;
      }
    }
  }

  private useDecl(): A.UseDecl {
    const kw = this.span();
    this.next();
    const span = this.coverTok(kw);
    if (this.tok() === Tok.Ident) return { kind: 'Use', target: { kind: 'Module', name: this.ident() }, span };
    if (this.tok() !== Tok.String) throw BAIL;
    return { kind: 'Use', target: { kind: 'Path', path: this.stringLit() }, span };
  }

  private typeDecl(): A.TypeDecl {
    const kw = this.span();
    this.next();
    const name = this.ident();
    this.expect(Tok.Assign);
    const type = this.typeExpr();
    return { kind: 'TypeAlias', name, type, span: this.cover(kw, type.span) };
  }

  private sharedDecl(): A.SharedDecl {
    const kw = this.span();
    this.next();
    const name = this.ident();
    this.expect(Tok.Colon); // no type: TH0125
    const type = this.typeExpr();
    const base = this.cover(kw, type.span);
    if (this.tok() !== Tok.Assign) return { kind: 'Shared', name, type, init: null, span: base };
    this.next();
    const init = this.expression();
    return { kind: 'Shared', name, type, init, span: joinSpans(base, init.span) };
  }

  private constDecl(): A.ConstDecl {
    const s = this.letStmt();
    if (s.destructure) throw BAIL; // TH0121
    return { kind: 'Const', name: s.names[0]!, value: s.value, span: s.span };
  }

  private fnDecl(): A.FnDecl {
    const kw = this.span();
    this.next();
    const name = this.ident();
    this.expect(Tok.LParen);
    const params: A.Param[] = [];
    if (this.tok() !== Tok.RParen) {
      for (;;) {
        params.push(this.param());
        if (this.tok() !== Tok.Comma) break;
        this.next();
        if (this.tok() === Tok.RParen) break; // a trailing comma
      }
    }
    if (this.tok() !== Tok.RParen) throw BAIL;
    const head = this.coverTok(kw);
    this.next();
    if (this.tok() === Tok.Assign) {
      this.next();
      const expr = this.expression();
      return { kind: 'Fn', name, params, body: { kind: 'ExprBody', expr }, span: joinSpans(head, expr.span) };
    }
    if (this.tok() !== Tok.LBrace) throw BAIL;
    const body = this.block();
    return { kind: 'Fn', name, params, body, span: joinSpans(head, body.span) };
  }

  private param(): A.Param {
    const name = this.ident();
    let type: A.TypeExpr | null = null;
    let def: A.Expr | null = null;
    if (this.tok() === Tok.Colon) {
      this.next();
      type = this.typeExpr();
    }
    if (this.tok() === Tok.Assign) {
      this.next();
      def = this.expression();
    }
    const last = def ?? type;
    return { name, type, default: def, span: last ? this.cover(name.span, last.span) : name.span };
  }

  private typeExpr(): A.TypeExpr {
    const name = this.ident();
    if (this.tok() !== Tok.LBracket) return { kind: 'TypeExpr', name, shape: null, span: name.span };
    this.next();
    const shape: A.DimExpr[] = [];
    if (this.tok() !== Tok.RBracket) {
      for (;;) {
        shape.push(this.dim());
        if (this.tok() !== Tok.Comma) break;
        this.next();
        if (this.tok() === Tok.RBracket) break; // a trailing comma
      }
    }
    if (this.tok() !== Tok.RBracket) throw BAIL;
    const span = this.coverTok(name.span);
    this.next();
    return { kind: 'TypeExpr', name, shape, span };
  }

  private dim(): A.DimExpr {
    const span = this.span();
    if (this.tok() === Tok.Number) {
      if (!this.tInt) throw BAIL; // TH0124
      const value = Number(this.text.slice(this.tStart, this.tEnd));
      this.next();
      return { kind: 'DimNum', value, span };
    }
    if (this.tok() !== Tok.Ident) throw BAIL;
    const anon = this.tEnd - this.tStart === 1 && this.text.charCodeAt(this.tStart) === 95;
    const dim: A.DimExpr = anon ? { kind: 'DimAny', span } : { kind: 'DimName', name: this.text.slice(this.tStart, this.tEnd), span };
    this.next();
    return dim;
  }

  // -------------------------------------------------------------- statements

  /** `{ stmt* }` ending in its one `return` (a missing or early `return` is TH0114/TH0115). */
  private block(): { readonly kind: 'Block'; readonly stmts: A.Stmt[]; readonly span: Span } {
    const open = this.span();
    this.next();
    const stmts: A.Stmt[] = [];
    let returned = false;
    for (;;) {
      const t = this.tok();
      if (t === Tok.RBrace) break;
      if (t === Tok.Semicolon) { this.next(); continue; }
      if (returned) throw BAIL;
      if (t === Tok.Let) stmts.push(this.letStmt());
      else if (t === Tok.Return) {
        stmts.push(this.returnStmt());
        returned = true;
      } else if (t === Tok.Ident && this.nextIsArrow()) stmts.push(this.updateStmt());
      else throw BAIL; // a bare expression (TH0117), or a syntax error
    }
    if (!returned) throw BAIL;
    const span = this.coverTok(open);
    this.next();
    return { kind: 'Block', stmts, span };
  }

  private letStmt(): A.LetStmt {
    const kw = this.span();
    this.next();
    const names: A.Ident[] = [];
    let destructure = false;
    if (this.tok() === Tok.LParen) {
      destructure = true;
      this.next();
      names.push(this.ident());
      while (this.tok() === Tok.Comma) {
        this.next();
        if (this.tok() !== Tok.Ident) break; // a trailing comma (`,,` then fails at the `)`)
        names.push(this.ident());
      }
      this.expect(Tok.RParen);
    } else {
      names.push(this.ident());
    }
    if (this.tok() !== Tok.Assign) throw BAIL;
    const head = this.coverTok(kw);
    this.next();
    const value = this.expression();
    return { kind: 'Let', names, destructure, value, span: joinSpans(head, value.span) };
  }

  private returnStmt(): A.ReturnStmt {
    const kw = this.span();
    this.next();
    const value = this.expression();
    if (this.tok() === Tok.Comma) throw BAIL; // `return a, b` (TH0122)
    return { kind: 'Return', value, span: joinSpans(kw, value.span) };
  }

  private updateStmt(): A.UpdateStmt {
    const target = this.ident();
    this.next(); // `<-`
    const value = this.expression();
    return { kind: 'Update', target, value, span: joinSpans(target.span, value.span) };
  }

  // -------------------------------------------------------------- expressions (expr-to-ast.ts)

  private expression(): A.Expr {
    return this.climb(OR, 0);
  }

  /**
   * Operators of level >= min, left-associative, by precedence climbing on the token stream (the
   * careful path climbs the same way over the parser's flat operand list). `nots`: how many `not`
   * prefixes of the first operand are already nodes (a `not` may follow another `not`).
   */
  private climb(min: number, nots: number): A.Expr {
    let left = this.prefixed(min, nots);
    for (;;) {
      const t = this.tok();
      const level = LEVEL[t]!;
      if (level < min) return left; // (0 for a token that is no operator)
      if (t === Tok.Assign || t === Tok.LArrow) throw BAIL; // TH0112, TH0113
      const opSpan = this.span();
      this.next();
      const right = this.climb(level + 1, 0);
      left = { kind: 'Binary', op: OP_TEXT[t] as A.BinaryOp, left, right, opSpan, span: joinSpans(left.span, right.span) };
      // `a < b < c` (TH0111), or `=`/`<-` after a comparison.
      if (level === CMP && LEVEL[this.tok()] === CMP) throw BAIL;
    }
  }

  /** The next operand, or `not` applied to everything binding tighter than `and`. */
  private prefixed(min: number, nots: number): A.Expr {
    if (this.tok() !== Tok.Not) return this.unary(0, 0, nots);
    // A `not` stands at the start of an expression, after `and`/`or`, or after another `not`.
    if (min > NOT && nots === 0) throw BAIL; // TH0107
    if (nots + 1 > MAX_PREFIX_CHAIN) throw BAIL;
    const opSpan = this.span();
    this.next();
    const operand = this.climb(NOT + 1, nots + 1);
    return { kind: 'Unary', op: 'not', operand, opSpan, span: joinSpans(opSpan, operand.span) };
  }

  /**
   * An operand's `-`/`+` prefixes (`count` read so far), then its power. `depth`: the exponent
   * nesting, counted with the prefixes towards MAX_PREFIX_CHAIN as expr-to-ast.ts counts them
   * (`nots` are the operand's leading `not`s, which count too).
   */
  private unary(depth: number, count: number, nots: number): A.Expr {
    const t = this.tok();
    if (t === Tok.Minus || t === Tok.Plus) {
      if (nots + depth + count + 1 > MAX_PREFIX_CHAIN) throw BAIL;
      const opSpan = this.span();
      this.next();
      const operand = this.unary(depth, count + 1, nots);
      return { kind: 'Unary', op: t === Tok.Minus ? '-' : '+', operand, opSpan, span: joinSpans(opSpan, operand.span) };
    }
    if (t === Tok.Not) throw BAIL; // `not` after `-`, or in an exponent (TH0107)
    return this.powered(depth + count);
  }

  /** The atom with its suffixes, raised to the exponent operand if there is one (right-assoc). */
  private powered(depth: number): A.Expr {
    const base = this.suffixes(this.atom());
    if (this.tok() !== Tok.Caret) return base;
    if (depth + 1 > MAX_PREFIX_CHAIN) throw BAIL;
    const opSpan = this.span();
    this.next();
    const exp = this.unary(depth + 1, 0, 0);
    return { kind: 'Binary', op: '^', left: base, right: exp, opSpan, span: joinSpans(base.span, exp.span) };
  }

  private atom(): A.Expr {
    let e: A.Expr;
    switch (this.tok()) {
      case Tok.Ident:
        e = { kind: 'Name', name: this.text.slice(this.tStart, this.tEnd), span: this.span() };
        break;
      case Tok.Number: {
        const text = this.text.slice(this.tStart, this.tEnd);
        e = { kind: 'Number', value: Number(text), isInt: this.tInt, text, span: this.span() };
        break;
      }
      case Tok.String:
        return this.stringLit();
      case Tok.True:
        e = { kind: 'Bool', value: true, span: this.span() };
        break;
      case Tok.False:
        e = { kind: 'Bool', value: false, span: this.span() };
        break;
      case Tok.LParen:
        return this.parenExpr(this.span());
      case Tok.LBracket:
        return this.arrayExpr(this.span());
      default:
        throw BAIL; // no expression here (TH0107), or a keyword
    }
    this.next();
    return e;
  }

  private stringLit(): A.StringLit {
    const raw = this.text.slice(this.tStart, this.tEnd);
    const value = this.tEscaped ? decodeString(raw).value : raw.slice(1, -1);
    const s: A.StringLit = { kind: 'String', value, span: this.span() };
    this.next();
    return s;
  }

  /** Call, index and member suffixes, in source order. */
  private suffixes(base: A.Expr): A.Expr {
    for (;;) {
      switch (this.tok()) {
        case Tok.LParen: base = this.call(base); break;
        case Tok.LBracket: base = this.index(base); break;
        case Tok.Dot: {
          this.next();
          const member = this.ident();
          base = { kind: 'Member', target: base, member, span: joinSpans(base.span, member.span) };
          break;
        }
        default: return base;
      }
    }
  }

  private call(callee: A.Expr): A.Expr {
    this.next();
    const args: A.Arg[] = [];
    let keyword = false;
    if (this.tok() !== Tok.RParen) {
      for (;;) {
        if (this.tok() === Tok.Ident && this.nextIsAssign()) {
          const name = this.ident();
          this.next(); // `=`
          const value = this.expression();
          args.push({ name, value, span: joinSpans(name.span, value.span) });
          keyword = true;
        } else {
          if (keyword) throw BAIL; // positional after keyword (TH0123)
          const value = this.expression();
          args.push({ name: null, value, span: value.span });
        }
        if (this.tok() !== Tok.Comma) break;
        this.next();
        if (this.tok() === Tok.RParen) break; // a trailing comma
      }
    }
    if (this.tok() !== Tok.RParen) throw BAIL;
    const span = joinSpans(callee.span, this.span());
    this.next();
    return { kind: 'Call', callee, args, span };
  }

  private index(target: A.Expr): A.Expr {
    this.next();
    const items: A.IndexItem[] = [];
    for (;;) {
      const item = this.indexItem();
      if (item) items.push(item);
      // An empty item is fine only as the one after a trailing comma (`x[1,]`).
      else if (items.length === 0 || this.tok() !== Tok.RBracket) throw BAIL;
      if (this.tok() !== Tok.Comma) break;
      this.next();
    }
    if (this.tok() !== Tok.RBracket) throw BAIL;
    const span = this.coverTok(target.span);
    this.next();
    return { kind: 'Index', target, items, span };
  }

  /** `e`, or a slice `a:b:c` with any part left out; null for an empty item. */
  private indexItem(): A.IndexItem | null {
    const start = startsExpression(this.tok()) ? this.expression() : null;
    if (this.tok() !== Tok.Colon) return start ? { kind: 'IndexExpr', expr: start, span: start.span } : null;
    // The slice spans from its first piece to its last (start, `:`, stop, `:`, step).
    const first = start ? start.span : this.span();
    let last = this.span();
    this.next();
    let stop: A.Expr | null = null, step: A.Expr | null = null;
    if (startsExpression(this.tok())) {
      stop = this.expression();
      last = stop.span;
    }
    if (this.tok() === Tok.Colon) {
      last = this.span();
      this.next();
      if (startsExpression(this.tok())) {
        step = this.expression();
        last = step.span;
      }
    }
    return { kind: 'Slice', start, stop, step, span: this.cover(first, last) };
  }

  /** `(e)`, or a tuple `(a, b)`, `(a,)`, `()`. */
  private parenExpr(open: Span): A.Expr {
    this.next();
    const items: A.Expr[] = [];
    let comma = false;
    if (this.tok() !== Tok.RParen) {
      for (;;) {
        items.push(this.expression());
        if (this.tok() !== Tok.Comma) break;
        comma = true;
        this.next();
        if (this.tok() === Tok.RParen) break;
      }
    }
    if (this.tok() !== Tok.RParen) throw BAIL;
    const span = this.coverTok(open);
    this.next();
    if (items.length === 1 && !comma) return { kind: 'Paren', expr: items[0]!, span };
    return { kind: 'Tuple', items, span };
  }

  private arrayExpr(open: Span): A.Expr {
    this.next();
    const items: A.Expr[] = [];
    if (this.tok() !== Tok.RBracket) {
      for (;;) {
        items.push(this.expression());
        if (this.tok() !== Tok.Comma) break;
        this.next();
        if (this.tok() === Tok.RBracket) break;
      }
    }
    if (this.tok() !== Tok.RBracket) throw BAIL;
    const span = this.coverTok(open);
    this.next();
    return { kind: 'Array', items, span };
  }
}
