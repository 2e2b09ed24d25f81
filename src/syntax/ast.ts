/**
 * @file AST node types: discriminated unions on `kind`; every node has a `span`.
 * Produced by parse-direct.ts from the text of an error-free file, else by to-ast.ts from the
 * Chevrotain CST (the same trees); consumed by sema (modules, scope, elaborate).
 * The AST is syntax only: no types, no resolved names. Nodes are plain immutable data.
 */
import type { Span } from '../source/span.js';

export interface Ident {
  readonly kind: 'Ident';
  readonly name: string;
  readonly span: Span;
}

// ---------------------------------------------------------------- types

/** A dimension in a type: `3`, `n`, `_`. */
export type DimExpr =
  | { readonly kind: 'DimNum'; readonly value: number; readonly span: Span }
  | { readonly kind: 'DimName'; readonly name: string; readonly span: Span }
  | { readonly kind: 'DimAny'; readonly span: Span };

/**
 * `f32`, `f64[n, m]`, or an alias name `image` (then `dtype` is the alias name and sema resolves it).
 * `shape` is null for a scalar written without brackets (and for a bare alias).
 */
export interface TypeExpr {
  readonly kind: 'TypeExpr';
  readonly name: Ident;
  readonly shape: readonly DimExpr[] | null;
  readonly span: Span;
}

// ---------------------------------------------------------------- expressions

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '@' | '^'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | 'and' | 'or';

export type UnaryOp = '-' | '+' | 'not';

export interface NumberLit {
  readonly kind: 'Number';
  /** The literal's value as a JS number (integers beyond 2^53 lose precision; sema range-checks). */
  readonly value: number;
  /** True when written without `.` or exponent: an integer literal. */
  readonly isInt: boolean;
  /** The source text, for messages. */
  readonly text: string;
  readonly span: Span;
}

export interface BoolLit { readonly kind: 'Bool'; readonly value: boolean; readonly span: Span }
export interface StringLit { readonly kind: 'String'; readonly value: string; readonly span: Span }
export interface NameExpr { readonly kind: 'Name'; readonly name: string; readonly span: Span }
export interface ParenExpr { readonly kind: 'Paren'; readonly expr: Expr; readonly span: Span }
/** `(a, b)`; also `(a,)` for a one-tuple. */
export interface TupleExpr { readonly kind: 'Tuple'; readonly items: readonly Expr[]; readonly span: Span }
/** `[[1, 2], [3, 4]]` or `[a, b]`. */
export interface ArrayExpr { readonly kind: 'Array'; readonly items: readonly Expr[]; readonly span: Span }

export interface BinaryExpr {
  readonly kind: 'Binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  /** Span of the operator token alone. */
  readonly opSpan: Span;
  readonly span: Span;
}

export interface UnaryExpr {
  readonly kind: 'Unary';
  readonly op: UnaryOp;
  readonly operand: Expr;
  readonly opSpan: Span;
  readonly span: Span;
}

export interface Arg {
  /** Keyword name for `k=v`, else null. */
  readonly name: Ident | null;
  readonly value: Expr;
  readonly span: Span;
}

export interface CallExpr {
  readonly kind: 'Call';
  readonly callee: Expr;
  readonly args: readonly Arg[];
  readonly span: Span;
}

/** One item inside `x[...]`. */
export type IndexItem =
  | { readonly kind: 'IndexExpr'; readonly expr: Expr; readonly span: Span }
  | {
      readonly kind: 'Slice';
      readonly start: Expr | null;
      readonly stop: Expr | null;
      readonly step: Expr | null;
      readonly span: Span;
    };

export interface IndexExpr {
  readonly kind: 'Index';
  readonly target: Expr;
  readonly items: readonly IndexItem[];
  readonly span: Span;
}

/** `x.T`, `x.shape`, `nn.relu`: any `.name` postfix; sema decides what it means. */
export interface MemberExpr {
  readonly kind: 'Member';
  readonly target: Expr;
  readonly member: Ident;
  readonly span: Span;
}

/**
 * A placeholder produced by parser recovery, so later phases can keep going.
 * Sema must not report further errors about it.
 */
export interface ErrorExpr { readonly kind: 'ErrorExpr'; readonly span: Span }

export type Expr =
  | NumberLit | BoolLit | StringLit | NameExpr | ParenExpr | TupleExpr | ArrayExpr
  | BinaryExpr | UnaryExpr | CallExpr | IndexExpr | MemberExpr | ErrorExpr;

// ---------------------------------------------------------------- statements

export interface LetStmt {
  readonly kind: 'Let';
  /** One name for `let a = e`; several for `let (a, b) = e`. */
  readonly names: readonly Ident[];
  /** True for the tuple form `let (a, b) = e` (also with a single name `let (a,) = e`). */
  readonly destructure: boolean;
  readonly value: Expr;
  readonly span: Span;
}

/** `name <- expr`. */
export interface UpdateStmt {
  readonly kind: 'Update';
  readonly target: Ident;
  readonly value: Expr;
  readonly span: Span;
}

export interface ReturnStmt {
  readonly kind: 'Return';
  readonly value: Expr;
  readonly span: Span;
}

/** A bare expression statement (legal syntax; sema warns that its value is unused). */
export interface ExprStmt { readonly kind: 'ExprStmt'; readonly expr: Expr; readonly span: Span }

export type Stmt = LetStmt | UpdateStmt | ReturnStmt | ExprStmt;

// ---------------------------------------------------------------- declarations

export interface Param {
  readonly name: Ident;
  readonly type: TypeExpr | null;
  readonly default: Expr | null;
  readonly span: Span;
}

export interface FnDecl {
  readonly kind: 'Fn';
  readonly name: Ident;
  readonly params: readonly Param[];
  /** Expression body `= e`, or a block `{ stmts }`. */
  readonly body: { readonly kind: 'ExprBody'; readonly expr: Expr } | { readonly kind: 'Block'; readonly stmts: readonly Stmt[]; readonly span: Span };
  readonly span: Span;
}

/** `use nn` (module name) or `use "file.th"` (path relative to the importing file). */
export interface UseDecl {
  readonly kind: 'Use';
  readonly target: { readonly kind: 'Module'; readonly name: Ident } | { readonly kind: 'Path'; readonly path: StringLit };
  readonly span: Span;
}

export interface TypeDecl { readonly kind: 'TypeAlias'; readonly name: Ident; readonly type: TypeExpr; readonly span: Span }

/** Top-level `let name = expr` constant. */
export interface ConstDecl { readonly kind: 'Const'; readonly name: Ident; readonly value: Expr; readonly span: Span }

export interface SharedDecl {
  readonly kind: 'Shared';
  readonly name: Ident;
  readonly type: TypeExpr;
  /** The initializer: a number, an array literal, or a call (zeros, uniform, load, ...); null means zeros. */
  readonly init: Expr | null;
  readonly span: Span;
}

export type Decl = UseDecl | TypeDecl | ConstDecl | SharedDecl | FnDecl;

export interface Program {
  readonly kind: 'Program';
  readonly file: string;
  readonly decls: readonly Decl[];
  readonly span: Span;
}
