/**
 * @file Diagnostic wording owned by the syntax phase: TH0101-TH0199 (see codes.ts for the ranges).
 * Lexical errors, Chevrotain parse errors mapped by parse.ts, and the error productions that
 * to-ast.ts reports (`**`, chained comparisons, `=` for `==`, bare expressions, misplaced `return`).
 */
import type { Catalog } from '../codes.js';

export const syntaxCodes: Catalog = {
  TH0101: {
    title: 'unknown character',
    message: 'unknown character `{text}`',
    label: 'not part of the language',
    explain: 'The lexer found a character that starts no token. Comments start with `#`.',
  },
  TH0102: {
    title: 'unexpected token',
    message: 'expected {expected}, found {found}',
    label: 'expected {expected}',
  },
  TH0103: {
    title: 'invalid number',
    message: 'invalid number literal `{text}`',
    label: 'not a number',
    note: 'numbers look like `3`, `3.0`, `.5`, `1e-3` or `2.5E+4`',
  },
  TH0104: {
    title: 'unterminated string',
    message: 'unterminated string',
    label: 'this string has no closing `"`',
    help: 'close the string with `"` on the same line',
  },
  TH0105: {
    title: 'unknown escape',
    message: 'unknown escape `{text}` in a string',
    label: 'unknown escape',
    note: 'strings support only the escapes `\\"` and `\\\\`',
    help: 'write `\\\\` for a backslash',
  },
  TH0106: {
    title: 'unclosed delimiter',
    message: 'expected `{close}` to close `{open}`, found {found}',
    label: 'expected `{close}`',
  },
  TH0107: {
    title: 'expected an expression',
    message: 'expected an expression, found {found}',
    label: 'expected an expression',
  },
  TH0108: {
    title: 'expected a declaration',
    message: 'expected a declaration, found {found}',
    label: 'expected `fn`, `let`, `shared`, `type` or `use`',
  },
  TH0109: {
    title: 'expression at top level',
    message: 'an expression cannot stand at the top level',
    label: 'not inside a function',
    help: 'define a function `fn name(...) = ...` or a constant `let name = ...`',
  },
  TH0110: {
    title: '`**` operator',
    message: '`**` is not an operator',
    label: 'not an operator',
    help: 'use `^` for powers: `{left} ^ {right}`',
  },
  TH0111: {
    title: 'chained comparison',
    message: 'comparison operators cannot be chained',
    label: 'second comparison',
    help: 'compare twice and combine with `and`: `{left} {op1} {mid} and {mid} {op2} {right}`',
  },
  TH0112: {
    title: '`=` in an expression',
    message: '`=` is not a comparison operator',
    label: 'assignment inside an expression',
    help: 'use `==` to compare: `{left} == {right}`',
  },
  TH0113: {
    title: '`<-` in an expression',
    message: '`<-` (update) inside an expression',
    label: 'an update is a statement',
    note: '`name <- value` updates a shared variable and only stands alone as a statement',
    help: 'write `< -` with a space to compare with a negative number: `{left} < -{right}`',
  },
  TH0114: {
    title: 'missing return',
    message: 'function `{name}` has no `return`',
    label: 'the block ends here without a `return`',
    help: 'add `return <expr>` as the last statement',
  },
  TH0115: {
    title: 'statement after return',
    message: 'unreachable statement after `return`',
    label: 'never runs',
    help: 'move it before the `return`, or remove it',
  },
  TH0116: {
    title: 'return outside a function',
    message: '`return` outside a function',
    label: 'not inside a function body',
    help: 'return values from a function: `fn name(...) { ...; return e }`',
  },
  TH0117: {
    title: 'expression statement',
    message: 'an expression is not a statement',
    label: 'this value is neither bound nor returned',
    note: 'newlines do not end statements, so a bare expression could join the line above it',
    help: 'bind it with `let name = ...` or `return` it',
  },
  TH0118: {
    title: 'assignment with `=`',
    message: 'cannot assign to `{name}` with `=`',
    label: '`=` is not a statement',
    help: 'write `let {name} = ...` to bind a new name, or `{name} <- ...` to update a shared variable',
  },
  TH0119: {
    title: 'update outside a function',
    message: 'update of `{name}` outside a function',
    label: 'not inside a function body',
    help: 'give the shared variable its first value with an initializer: `shared {name}: <type> = ...`',
  },
  TH0120: {
    title: 'invalid update target',
    message: '`{target}` cannot be updated',
    label: 'not a variable name',
    note: 'only a shared variable, named on its own, can be the target of `<-`',
  },
  TH0121: {
    title: 'top-level tuple let',
    message: 'a top-level `let` cannot unpack a tuple',
    label: 'tuple pattern at the top level',
    help: 'bind each constant with its own `let name = ...`',
  },
  TH0122: {
    title: 'several return values',
    message: 'several values after `return` without parentheses',
    label: 'a second value',
    help: 'return a tuple: `return ({values})`',
  },
  TH0123: {
    title: 'positional after keyword',
    message: 'positional argument after a keyword argument',
    label: 'positional argument',
    help: 'pass it by name as well, or move it before the keyword arguments',
  },
  TH0124: {
    title: 'non-integer dimension',
    message: 'dimension `{text}` is not an integer',
    label: 'not an integer',
    note: 'a dimension is an integer, a name or `_`',
  },
  TH0125: {
    title: 'shared variable without a type',
    message: 'shared variable `{name}` has no type',
    label: 'needs a type',
    help: 'declare its type: `shared {name}: f32[...] = ...`',
  },
  TH0126: {
    title: 'keyword as a name',
    message: '`{name}` is a keyword and cannot be used as a name',
    label: 'keyword',
    help: 'choose another name, such as `{name}_`',
  },
  TH0127: {
    title: 'nesting too deep',
    message: 'brackets nested more than {limit} levels deep',
    label: 'too deeply nested',
    help: 'split the expression with `let` bindings',
  },
};

/** Secondary-label wording for syntax diagnostics (kept here so all wording lives in the catalog). */
export const syntaxLabels = {
  openedHere: 'unclosed `{open}`',
  returnHere: '`return` is here',
  firstComparison: 'first comparison',
  keywordArgHere: 'keyword argument here',
} as const;
