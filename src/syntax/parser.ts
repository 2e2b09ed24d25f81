/**
 * @file The `.th` grammar: a Chevrotain CstParser; expressions are a flat operand/operator list.
 * Consumes: IToken[] from tokens.ts. Produces: a CST (see the generated cst.d.ts) plus recovered
 * parse errors. Precedence, and the error productions (`**`, `=` and `<-` in expressions, chained
 * comparisons, misplaced `not`, bare expression statements, top-level `return`), are to-ast.ts's.
 * This is the grammar of record and the error path: error-free files are parsed by the direct
 * parser (parse-direct.ts), so the one instance (with recovery) is built only when a file has a
 * problem; self-analysis is the expensive part of building it.
 */
import type { CstNode, IOrAlt, IParserErrorMessageProvider, IToken, OrMethodOpts, TokenType } from 'chevrotain';
import * as T from './tokens.js';

const { CstParser, EOF } = T.chev;

// ---------------------------------------------------------------- error descriptions

/**
 * What a Chevrotain error carries in its `message`: a JSON-encoded code and template arguments.
 * The wording itself lives in the diagnostic catalog (codes/syntax.ts); parse.ts decodes this.
 */
export interface ParseErrorInfo {
  readonly code: string;
  readonly args: Record<string, string>;
  /** For a missing closing bracket: the closer's token name (`RParen`...), to find its opener. */
  readonly closer?: string;
}

const PUNCT: Readonly<Record<string, string>> = {
  LArrow: '<-', EqEq: '==', NotEq: '!=', LessEq: '<=', GreaterEq: '>=', Less: '<', Greater: '>',
  Assign: '=', Plus: '+', Minus: '-', StarStar: '**', Star: '*', Slash: '/', Percent: '%', At: '@',
  Caret: '^', LParen: '(', RParen: ')', LBracket: '[', RBracket: ']', LBrace: '{', RBrace: '}',
  Comma: ',', Colon: ':', Semicolon: ';', Dot: '.',
};

const CLASS_NAMES: Readonly<Record<string, string>> = {
  Identifier: 'a name', NumberLit: 'a number', StringLit: 'a string', EOF: 'end of file',
  CompareOp: 'a comparison operator', AddOp: '`+` or `-`', MulOp: 'an operator', UnaryOp: '`-` or `+`',
  PowOp: '`^`', Keyword: 'a name', BinaryOp: 'an operator', PrefixOp: '`not`, `-` or `+`',
};

/** How an expected token type reads in a message: "a name", "`)`", "`fn`". */
export function describeTokenType(tt: TokenType): string {
  if (CLASS_NAMES[tt.name]) return CLASS_NAMES[tt.name]!;
  if (PUNCT[tt.name]) return `\`${PUNCT[tt.name]}\``;
  if (T.KEYWORDS.includes(tt)) return `\`${tt.name.toLowerCase()}\``;
  return tt.name;
}

/** How a found token reads in a message: "`foo`", "keyword `type`", "end of file". */
export function describeToken(tok: IToken): string {
  if (tok.tokenType === EOF) return 'end of file';
  if (T.KEYWORDS.includes(tok.tokenType)) return `keyword \`${tok.image}\``;
  if (tok.tokenType === T.NumberLit) return `number \`${tok.image}\``;
  if (tok.tokenType === T.StringLit) return 'a string';
  return `\`${tok.image}\``;
}

function listAlternatives(types: TokenType[]): string {
  const names = [...new Set(types.map(describeTokenType))];
  if (names.length <= 1) return names[0] ?? 'something else';
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** Rules whose alternatives are best described by what they parse rather than by a token list. */
const RULE_WHAT: Readonly<Record<string, string>> = {
  dim: 'a dimension (a number, a name or `_`)',
  useDecl: 'a module name or a file path in quotes',
};

/** Rules whose failure means "no expression here" (no atom after the prefix operators). */
const EXPRESSION_RULES = new Set(['operand']);

const encode = (info: ParseErrorInfo): string => JSON.stringify(info);

const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    const found = describeToken(actual);
    // Repetition recovery in `program` reports "expected end of file" for a stray top-level token.
    if (expected === EOF) return encode({ code: 'TH0108', args: { found } });
    if (T.CLOSERS.has(expected)) {
      const c = T.CLOSERS.get(expected)!;
      return encode({ code: 'TH0106', args: { open: c.openText, close: c.closeText, found }, closer: expected.name });
    }
    return encode({ code: 'TH0102', args: { expected: describeTokenType(expected), found } });
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return encode({ code: 'TH0108', args: { found: describeToken(firstRedundant) } });
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const found = describeToken(actual[0]!);
    if (EXPRESSION_RULES.has(ruleName)) return encode({ code: 'TH0107', args: { found } });
    const what = RULE_WHAT[ruleName] ?? listAlternatives(expectedPathsPerAlt.flatMap(alt => alt.map(p => p[0]!)));
    return encode({ code: 'TH0102', args: { expected: what, found } });
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    const what = listAlternatives(expectedIterationPaths.map(p => p[0]!));
    return encode({ code: 'TH0102', args: { expected: what, found: describeToken(actual[0]!) } });
  },
};

// ---------------------------------------------------------------- the grammar

/** Options for building a parser; tests build one with validations on to check the grammar. */
export interface ThParserOptions {
  /** Skip Chevrotain's grammar validations (ambiguity checks): faster start-up. */
  readonly skipValidations?: boolean;
}

const LABEL_OP = { LABEL: 'op' }, LABEL_PREFIX = { LABEL: 'prefix' };
const LABEL_MEMBER = { LABEL: 'member' }, LABEL_EXPONENT = { LABEL: 'exponent' };

export class ThParser extends CstParser {
  /**
   * Alternative lists of the most frequent ORs, built on first use (the closures only refer to
   * `this`, so one list serves every call). Declared before the rules: field order is init order.
   */
  private readonly alts: {
    atom?: IOrAlt<unknown>[];
    suffix?: IOrAlt<unknown>[];
    stmt?: IOrAlt<unknown>[];
    declName?: IOrAlt<unknown>[];
    argument: { 1?: OrMethodOpts<unknown>; 2?: OrMethodOpts<unknown> };
  } = { argument: {} };

  constructor(opts: ThParserOptions = {}) {
    super(T.allTokens, {
      recoveryEnabled: true,
      // to-ast builds every span from tokens (which carry line/column): CST locations are unused.
      nodeLocationTracking: 'none',
      maxLookahead: 2,
      errorMessageProvider,
      skipValidations: opts.skipValidations ?? false,
      traceInitPerf: process.env['THC_TRACE_INIT'] === '1',
    });
    this.performSelfAnalysis();
  }

  /**
   * Overrides Chevrotain's CST node creation (same shape, `nodeLocationTracking: 'none'`): its
   * `children: Object.create(null)` makes every node's children a dictionary-mode object, which
   * costs allocation and slower lookups in to-ast on tens of thousands of nodes. A plain `{}` is
   * safe: no token or label name is an Object.prototype member.
   */
  cstInvocationStateUpdate(fullRuleName: string): void {
    (this as unknown as { CST_STACK: CstNode[] }).CST_STACK.push({ name: fullRuleName, children: {} });
  }

  // declName := Identifier | Keyword   (a keyword here is an error production: `let type = 1`)
  public declName = this.RULE('declName', () => {
    this.OR(this.alts.declName ??= [
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.Keyword) },
    ]);
  });

  // program := topItem*
  public program = this.RULE('program', () => {
    this.MANY(() => this.SUBRULE(this.topItem));
  });

  // A declaration, or a statement form that is an error at top level (reported by to-ast).
  public topItem = this.RULE('topItem', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.useDecl) },
      { ALT: () => this.SUBRULE(this.typeDecl) },
      { ALT: () => this.SUBRULE(this.sharedDecl) },
      { ALT: () => this.SUBRULE(this.fnDecl) },
      { ALT: () => this.SUBRULE(this.letStmt) },
      { ALT: () => this.SUBRULE(this.returnStmt) },
      { ALT: () => this.SUBRULE(this.simpleStmt) },
      { ALT: () => this.CONSUME(T.Semicolon) },
    ]);
  });

  // useDecl := "use" (Identifier | String)
  public useDecl = this.RULE('useDecl', () => {
    this.CONSUME(T.Use);
    this.OR([
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.StringLit) },
    ]);
  });

  // typeDecl := "type" declName "=" typeExpr
  public typeDecl = this.RULE('typeDecl', () => {
    this.CONSUME(T.Type);
    this.SUBRULE(this.declName);
    this.CONSUME(T.Assign);
    this.SUBRULE(this.typeExpr);
  });

  // sharedDecl := "shared" declName (":" typeExpr)? ("=" expression)?
  public sharedDecl = this.RULE('sharedDecl', () => {
    this.CONSUME(T.Shared);
    this.SUBRULE(this.declName);
    // The type is required; leaving it out is reported by to-ast with a precise message.
    this.OPTION2(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeExpr);
    });
    this.OPTION(() => {
      this.CONSUME(T.Assign);
      this.SUBRULE(this.expression);
    });
  });

  // fnDecl := "fn" declName "(" params? ")" ("=" expression | block)
  public fnDecl = this.RULE('fnDecl', () => {
    this.CONSUME(T.Fn);
    this.SUBRULE(this.declName);
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.param);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.OPTION2(() => this.SUBRULE2(this.param));
      });
    });
    this.CONSUME(T.RParen);
    this.OR([
      { ALT: () => { this.CONSUME(T.Assign); this.SUBRULE(this.expression); } },
      { ALT: () => this.SUBRULE(this.block) },
    ]);
  });

  // param := declName (":" typeExpr)? ("=" expression)?
  public param = this.RULE('param', () => {
    this.SUBRULE(this.declName);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeExpr);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Assign);
      this.SUBRULE(this.expression);
    });
  });

  // typeExpr := Identifier ("[" (dim ("," dim)* ","?)? "]")?
  public typeExpr = this.RULE('typeExpr', () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      this.OPTION2(() => {
        this.SUBRULE(this.dim);
        this.MANY(() => {
          this.CONSUME(T.Comma);
          this.OPTION3(() => this.SUBRULE2(this.dim));
        });
      });
      this.CONSUME(T.RBracket);
    });
  });

  // dim := Number | Identifier   (`_` is an Identifier)
  public dim = this.RULE('dim', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLit) },
      { ALT: () => this.CONSUME(T.Identifier) },
    ]);
  });

  // block := "{" stmt* "}"
  public block = this.RULE('block', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.stmt));
    this.CONSUME(T.RBrace);
  });

  // stmt := letStmt | returnStmt | simpleStmt | ";"   (one rule, so the CST keeps statement order)
  public stmt = this.RULE('stmt', () => {
    this.OR(this.alts.stmt ??= [
      { ALT: () => this.SUBRULE(this.letStmt) },
      { ALT: () => this.SUBRULE(this.returnStmt) },
      { ALT: () => this.SUBRULE(this.simpleStmt) },
      { ALT: () => this.CONSUME(T.Semicolon) },
    ]);
  });

  // letStmt := "let" (declName | "(" Identifier ("," Identifier)* ","? ")") "=" expression
  public letStmt = this.RULE('letStmt', () => {
    this.CONSUME(T.Let);
    this.OR([
      { ALT: () => this.SUBRULE(this.declName) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.CONSUME2(T.Identifier, { LABEL: 'tupleName' });
          this.MANY(() => {
            this.CONSUME(T.Comma);
            this.OPTION(() => this.CONSUME3(T.Identifier, { LABEL: 'tupleName' }));
          });
          this.CONSUME(T.RParen);
        },
      },
    ]);
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expression);
  });

  // returnStmt := "return" expression ("," expression)*   (the list form is an error production)
  public returnStmt = this.RULE('returnStmt', () => {
    this.CONSUME(T.Return);
    this.SUBRULE(this.expression);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.expression, { LABEL: 'extra' });
    });
  });

  // simpleStmt := Identifier "<-" expression | expression   (a bare expression is an error production)
  public simpleStmt = this.RULE('simpleStmt', () => {
    this.OR({
      // `w <- e` also matches the expression alternative through the `<-` error production
      // (a BinaryOp); the update reading must win, so the first alternative takes precedence.
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.Identifier, { LABEL: 'target' });
            this.CONSUME(T.LArrow);
            this.SUBRULE(this.expression, { LABEL: 'value' });
          },
        },
        { ALT: () => this.SUBRULE2(this.expression) },
      ],
    });
  });

  // ------------------------------------------------------------ expressions (flat)
  //
  // An expression is a flat list `operand (op operand)*`; to-ast.ts builds the tree by precedence
  // climbing. One rule per precedence level would cost ~11 rule invocations (and CST nodes) per
  // atom; this costs two. Forms the layered grammar rejected (`a == not b`, `2 ^ not x`) parse
  // here and are reported by to-ast with the same TH0107 the parser would have given.

  // expression := operand (BinaryOp operand)*   -- `or and == != < <= > >= = <- + - * / % @`
  public expression = this.RULE('expression', () => {
    this.SUBRULE(this.operand);
    this.MANY(this.operatorOperand);
  });

  // The two rules below run for every operand, so their MANY/OPTION bodies and label options are
  // built once instead of on every call (Chevrotain only calls them; they refer to `this` alone).
  private readonly operatorOperand = (): void => {
    this.CONSUME(T.BinaryOp, LABEL_OP);
    this.SUBRULE2(this.operand);
  };

  // operand := PrefixOp* primary (callSuffix | indexSuffix | "." Identifier)* (PowOp operand)?
  // The exponent is a whole operand (prefixes included): right-assoc, `2^-1`, and `-x^2` is -(x^2).
  public operand = this.RULE('operand', () => {
    this.MANY(this.prefixOp);
    // Hot alternative lists are built once (see `alts`): Chevrotain would otherwise get a fresh
    // array of closures on every call, and operands are the most frequent rule.
    this.OR(this.alts.atom ??= [
      { ALT: () => this.CONSUME(T.NumberLit) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.StringLit) },
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.SUBRULE(this.parenExpr) },
      { ALT: () => this.SUBRULE(this.arrayExpr) },
    ]);
    // Suffixes are inlined (no `suffix` rule); to-ast restores their order from token offsets.
    this.MANY2(this.suffix);
    this.OPTION(this.exponent);
  });

  private readonly prefixOp = (): void => {
    this.CONSUME(T.PrefixOp, LABEL_PREFIX);
  };

  private readonly suffix = (): void => {
    this.OR2(this.alts.suffix ??= [
      { ALT: () => this.SUBRULE(this.callSuffix) },
      { ALT: () => this.SUBRULE(this.indexSuffix) },
      { ALT: () => { this.CONSUME(T.Dot); this.CONSUME2(T.Identifier, LABEL_MEMBER); } },
    ]);
  };

  private readonly exponent = (): void => {
    this.CONSUME(T.PowOp);
    this.SUBRULE(this.operand, LABEL_EXPONENT);
  };

  // callSuffix := "(" (arg ("," arg?)*)? ")"   with   arg := Identifier "=" expression | expression
  // `arg` is inlined (no CST node per argument): keyword arguments land in `key`/`value`, positional
  // ones in `expression`, and to-ast restores their order from token offsets.
  public callSuffix = this.RULE('callSuffix', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.argument(1);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.OPTION2(() => this.argument(2));
      });
    });
    this.CONSUME(T.RParen);
  });

  /** One argument of callSuffix; `k` keeps the two call sites' occurrence indices apart. */
  private argument(k: 1 | 2): void {
    this.or(k, (this.alts.argument[k] ??= {
      // `k = v` also matches `expression` through the `=` error production; a keyword argument wins.
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            this.consume(k, T.Identifier, { LABEL: 'key' });
            this.consume(k, T.Assign);
            this.subrule(k, this.expression, { LABEL: 'value' });
          },
        },
        { ALT: () => this.subrule(k + 2, this.expression) },
      ],
    }));
  }

  public indexSuffix = this.RULE('indexSuffix', () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.indexItem);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.indexItem);
    });
    this.CONSUME(T.RBracket);
  });

  // indexItem := expression | expression? ":" expression? (":" expression?)?   (may be empty: to-ast reports)
  public indexItem = this.RULE('indexItem', () => {
    this.OPTION(() => this.SUBRULE(this.expression, { LABEL: 'start' }));
    this.OPTION2(() => {
      this.CONSUME(T.Colon, { LABEL: 'colon' });
      this.OPTION3(() => this.SUBRULE2(this.expression, { LABEL: 'stop' }));
      this.OPTION4(() => {
        this.CONSUME2(T.Colon, { LABEL: 'colon' });
        this.OPTION5(() => this.SUBRULE3(this.expression, { LABEL: 'step' }));
      });
    });
  });

  // parenExpr := "(" (expression ("," expression?)*)? ")"  -- `(e)`, `(a, b)`, `(a,)`, `()`
  public parenExpr = this.RULE('parenExpr', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.OPTION2(() => this.SUBRULE2(this.expression));
      });
    });
    this.CONSUME(T.RParen);
  });

  // arrayExpr := "[" (expression ("," expression?)*)? "]"
  public arrayExpr = this.RULE('arrayExpr', () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.OPTION2(() => this.SUBRULE2(this.expression));
      });
    });
    this.CONSUME(T.RBracket);
  });
}

/**
 * Validations are skipped unless THC_VALIDATE_GRAMMAR=1; tests/grammar.test.ts builds a
 * validating instance so that an ambiguous grammar change fails the build.
 */
const skipValidations = process.env['THC_VALIDATE_GRAMMAR'] !== '1';

let recovering: ThParser | undefined;

/** The parser with error recovery (several diagnostics per file), built on first use. */
export function recoveringParser(): ThParser {
  return recovering ??= new ThParser({ skipValidations });
}
