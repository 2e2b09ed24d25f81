/**
 * @file Diagnostic wording owned by sema (see codes.ts for the ranges): TH02xx names and modules,
 * TH0300-TH0339 types, shapes, calls and declarations, TH04xx gradients.
 * `semaLabels` holds the few label/help strings sema attaches outside a code's own template
 * (secondary labels, suggestion helps), so that all wording still lives in this file.
 */
import type { Catalog } from '../codes.js';

export const semaCodes: Catalog = {
  // ------------------------------------------------------------ TH02xx: names and modules
  TH0201: {
    title: 'unknown name',
    message: 'cannot find `{name}` in this scope',
    label: 'not found in this scope',
  },
  TH0202: {
    title: 'unknown module',
    message: 'cannot find module `{name}`',
    label: 'no module named `{name}`',
    note: 'looked for {path}',
  },
  TH0203: {
    title: 'file not found',
    message: 'cannot read file `{path}` imported here',
    label: 'no such file',
    note: 'looked for {abs}',
  },
  TH0204: {
    title: 'import cycle',
    message: 'modules import each other in a cycle: {chain}',
    label: 'this import closes the cycle',
    explain: 'A module cannot (directly or indirectly) import itself: move the shared definitions into a third module that both import.',
  },
  TH0205: {
    title: 'ambiguous name',
    message: '`{name}` is defined by both `{a}` and `{b}`',
    label: 'ambiguous name',
    help: 'qualify it: `{a}.{name}` or `{b}.{name}`',
  },
  TH0206: {
    title: 'duplicate definition',
    message: '`{name}` is defined more than once in this file',
    label: 'redefined here',
  },
  TH0207: {
    title: 'duplicate parameter',
    message: 'parameter `{name}` appears more than once in `{fn}`',
    label: 'duplicate parameter',
  },
  TH0208: {
    title: 'unknown type',
    message: 'cannot find type `{name}`',
    label: 'not a dtype or a type alias',
    note: 'dtypes are f16, f32, f64, i32, u32 and bool',
  },
  TH0209: {
    title: 'unknown entry point',
    message: 'no function named `{name}` in {file}',
  },
  TH0210: {
    title: 'not an entry point',
    message: '`{name}` is not an entry point: parameter `{param}` has no type',
    label: 'this parameter is untyped',
    note: 'a function whose parameters are all typed is an entry point; others are generic and are inlined where they are called',
  },
  TH0211: {
    title: 'unknown module member',
    message: 'module `{module}` has no member `{name}`',
    label: 'not defined in `{module}`',
  },
  TH0212: {
    title: 'unknown tensor member',
    message: 'a tensor has no member `{name}`',
    label: 'unknown member',
    note: 'tensors have the members `T` (transpose) and `shape`',
  },
  TH0213: {
    title: 'recursion',
    message: 'function `{name}` calls itself: {chain}',
    label: 'recursive call',
    note: 'functions are inlined at each call, so they cannot be recursive',
  },
  TH0214: {
    title: 'not callable',
    message: '{what} is not a function',
    label: 'called here',
  },
  TH0215: {
    title: 'unknown keyword argument',
    message: '`{fn}` has no parameter named `{name}`',
    label: 'unknown keyword',
  },
  TH0216: {
    title: 'argument given twice',
    message: 'argument `{name}` of `{fn}` is given more than once',
    label: 'given again here',
  },
  TH0217: {
    title: 'missing argument',
    message: 'missing argument `{name}` in call to `{fn}`',
    label: '`{name}` is not given',
  },
  TH0218: {
    title: 'too many arguments',
    message: '`{fn}` takes {max} positional arguments but {count} were given',
    label: 'unexpected argument',
  },
  TH0219: {
    title: 'type alias cycle',
    message: 'type alias `{name}` refers to itself',
    label: 'cycle through here',
  },
  TH0220: {
    title: 'constant cycle',
    message: 'constant `{name}` depends on itself: {chain}',
    label: 'used here while defining it',
  },
  TH0221: {
    title: 'positional after keyword',
    message: 'positional argument after a keyword argument in call to `{fn}`',
    label: 'positional argument',
  },
  TH0222: {
    title: 'not a value',
    message: '`{name}` is {what}, not a value',
    label: 'used as a value',
  },

  // ------------------------------------------------------------ TH0300-TH0339: types and shapes
  TH0301: {
    title: 'update of a non-shared name',
    message: '`{name}` is not a shared variable',
    label: 'only shared variables can be updated with `<-`',
  },
  TH0302: {
    title: 'shared variable updated twice',
    message: 'shared variable `{name}` is updated more than once in one call',
    label: 'second update',
    note: 'all updates of one call are applied together, so each variable can be updated once',
  },
  TH0303: {
    title: 'update changes dtype',
    message: 'cannot update `{name}` ({target}) with a value of dtype {value}',
    label: 'this value is {value}',
    help: 'convert it explicitly: `cast(..., {dtype})`',
  },
  TH0304: {
    title: 'update changes shape',
    message: 'cannot update `{name}` ({target}) with a value of shape {value}',
    label: 'this value is {valueType}',
    note: 'an update must broadcast to the shared variable\'s declared shape',
  },
  TH0305: {
    title: 'argument type mismatch',
    message: 'argument `{param}` of `{fn}` expects {expected}, found {actual}',
    label: 'this is {actual}',
  },
  TH0306: {
    title: 'symbolic dimension mismatch',
    message: 'dimension `{dim}` of `{fn}` would be both {first} and {second}',
    label: 'here `{dim}` = {second}',
    note: 'the same dimension name means the same size everywhere in one signature',
  },
  TH0307: {
    title: 'not a compile-time constant',
    message: '`{param}` must be known at compile time',
    label: 'this value is only known at run time',
  },
  TH0308: {
    title: 'wrong kind of constant',
    message: '`{param}` of `{fn}` expects {expected}, found {actual}',
    label: 'expected {expected}',
  },
  TH0309: {
    title: 'default not constant',
    message: 'default value of parameter `{name}` is not a compile-time constant',
    label: 'not a constant',
    note: 'an entry point\'s defaults are stored with the compiled program',
  },
  TH0310: {
    title: 'default type mismatch',
    message: 'default value of parameter `{name}` is {actual}, which does not fit {expected}',
    label: 'this is {actual}',
  },
  TH0311: {
    title: 'expected a tensor',
    message: 'expected a tensor, found {what}',
    label: 'this is {what}',
  },
  TH0312: {
    title: 'tuple size mismatch',
    message: 'cannot unpack {count} values into {names} names',
    label: 'this has {count} values',
  },
  TH0313: {
    title: 'unpacking a non-tuple',
    message: 'cannot unpack {what} into {names} names',
    label: 'this is {what}',
  },
  TH0314: {
    title: 'tuple index out of range',
    message: 'index {index} is out of range for a tuple of {count} values',
    label: 'out of range',
  },
  TH0315: {
    title: 'bad tuple index',
    message: 'a tuple can only be indexed by one integer known at compile time',
    label: 'not a constant integer',
  },
  TH0316: {
    title: 'string as a value',
    message: 'a string is not a value',
    label: 'strings are only file paths',
    note: 'strings are only used in `use "file.th"` and `load("file.npy")`',
  },
  TH0317: {
    title: 'integer literal too large',
    message: 'integer literal `{text}` does not fit in i32',
    label: 'out of range for i32',
    help: 'write it as a float literal (`{text}.0`) if a float is meant',
  },
  TH0318: {
    title: 'ragged array literal',
    message: 'array literal rows have different shapes: {first} and {other}',
    label: 'this row has shape {other}',
  },
  TH0319: {
    title: 'empty array literal',
    message: 'an empty array literal has no dtype or shape',
    label: 'empty array',
  },
  TH0320: {
    title: 'shared variable without a concrete shape',
    message: 'shared variable `{name}` needs a concrete shape, found {type}',
    label: '`{dim}` is not a known size',
    help: 'use integer literals or integer constants (`let k = 10`) for its dimensions',
  },
  TH0321: {
    title: 'unsupported shared initializer',
    message: 'unsupported initializer for shared variable `{name}`',
    label: 'not an initializer',
    note: 'an initializer is a number, an array literal, `zeros`, `ones`, `uniform(lo, hi, seed=S)`, `normal(mean, std, seed=S)` or `load("file.npy")`',
  },
  TH0322: {
    title: 'initializer shape mismatch',
    message: 'initializer of `{name}` has shape {actual}, expected {expected}',
    label: 'this has shape {actual}',
  },
  TH0323: {
    title: 'initializer dtype mismatch',
    message: 'initializer of `{name}` is {actual}, which does not fit {expected}',
    label: 'this is {actual}',
  },
  TH0324: {
    title: 'statement after return',
    message: 'unreachable statement after `return`',
    label: 'never runs',
  },
  TH0325: {
    title: 'shape on a shaped alias',
    message: 'type alias `{name}` already has a shape ({type})',
    label: 'extra shape',
  },
  TH0326: {
    title: 'output is not a tensor',
    message: 'output `{name}` of `{fn}` is {what}, not a tensor',
    label: 'this is {what}',
  },
  TH0327: {
    title: 'load outside an initializer',
    message: '`load` is only valid as a shared variable initializer',
    label: 'used in an expression',
  },
  TH0328: {
    title: 'non-integer dimension',
    message: 'dimension must be an integer, found {actual}',
    label: 'not an integer size',
  },
  TH0329: {
    title: 'dimension names a non-integer constant',
    message: 'dimension `{name}` names a constant that is not an integer',
    label: 'not an integer constant',
  },
  TH0330: {
    title: 'unused value',
    message: 'the value of this expression is not used',
    label: 'unused',
    help: 'bind it with `let` or return it',
  },
  TH0331: {
    title: 'no such member',
    message: '{what} has no member `{name}`',
    label: 'this is {what}',
  },
  TH0332: {
    title: 'indexing a non-tensor',
    message: 'cannot index {what}',
    label: 'this is {what}',
  },

  // ------------------------------------------------------------ TH04xx: gradients
  TH0401: {
    title: 'cost does not depend on the target',
    message: 'the cost does not depend on `{target}`',
    label: '`{target}` does not reach the cost',
    help: 'pass `disconnected="zero"` to get a zero gradient instead',
    explain: 'Differentiating with respect to a value the cost never uses is almost always a mistake (a typo, or a term dropped from the cost). When it is intended, `grad(cost, x, disconnected="zero")` gives zeros of `x`\'s type.',
  },
  TH0402: {
    title: 'non-scalar cost',
    message: 'the cost of `grad` must be a scalar, found {type}',
    label: 'this is {type}',
    help: 'reduce it to a scalar first, e.g. `sum(...)` or `mean(...)`',
  },
  TH0403: {
    title: 'cost that is not real',
    message: 'cannot differentiate a {type} cost',
    label: 'this is {type}',
    help: 'gradients need a floating-point cost: `cast(..., f64)` if the integer value is what you mean',
  },
  TH0404: {
    title: 'integer target',
    message: 'cannot differentiate with respect to `{target}` of type {type}',
    label: '`{target}` is {type}',
    note: 'gradients exist only for f16, f32 and f64 values',
  },
  TH0405: {
    title: 'target is not a variable',
    message: '`grad` differentiates with respect to a parameter or a shared variable, not {what}',
    label: 'not a parameter or shared variable',
    help: 'differentiate with respect to the parameter or shared variable this value is computed from',
  },
  TH0406: {
    title: 'bad `disconnected` value',
    message: 'unknown value `{value}` for `disconnected`',
    label: 'expected "raise" or "zero"',
    help: 'use `disconnected="raise"` (the default: an error) or `disconnected="zero"` (a zero gradient)',
  },
  TH0407: {
    title: 'bad `grad` target',
    message: 'the targets of `grad` must be a variable or a tuple of variables, found {what}',
    label: 'not a target',
    help: 'write `grad(cost, x)` or `grad(cost, (x, y))`',
  },
};

/** Secondary labels and generated helps used by sema (templates filled with fillTemplate). */
export const semaLabels = {
  inCall: 'in this call to `{fn}`',
  firstDefined: 'first defined here',
  firstUpdate: 'first updated here',
  firstGiven: 'first given here',
  dimBound: '`{dim}` = {value} here',
  paramDeclared: 'parameter declared as {type}',
  declaredAs: '`{name}` is declared as {type}',
  firstRow: 'the first row has shape {shape}',
  similarName: '{what} with a similar name exists: `{name}`',
  similarModule: 'a module with a similar name exists: `{name}`',
  updateLocal: '`<-` updates shared variables; use `let {name} = ...` for a local value',
  castValue: 'convert it explicitly: `cast(..., {dtype})`',
} as const;
