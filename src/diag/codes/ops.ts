/**
 * @file Diagnostic wording owned by the op table: TH0350-TH0399 for op type rules (reported by
 * `infer` through InferCx or by composites through the builder) and TH0690-TH0699 for run-time
 * kernel errors (thrown as RuntimeError by `eval`, given a span by the interpreter).
 */
import type { Catalog } from '../codes.js';

export const opCodes: Catalog = {
  TH0350: {
    title: 'shapes do not broadcast',
    message: 'cannot broadcast {a} with {b}',
    label: 'dimensions {da} and {db} do not match in `{op}`',
    note: 'dimensions broadcast when they are equal or one of them is 1, comparing from the right',
    explain: 'Elementwise operations follow numpy broadcasting. Two different dimension names, or a name and a constant other than 1, are an error because a name promises a size the compiler cannot see.',
  },
  TH0351: {
    title: 'numeric operation on bool',
    message: '`{op}` is not defined for bool operands ({type})',
    label: 'bool operand here',
    help: 'convert the operand to a number first, e.g. `cast(x, i32)`',
  },
  TH0352: {
    title: 'logical operator on non-bool',
    message: '`{op}` needs bool operands, found {type}',
    label: 'this operand is not bool',
    help: 'compare it to get a bool, e.g. `x != 0`',
  },
  TH0353: {
    title: 'where condition is not bool',
    message: 'the condition of `where` must be bool, found {type}',
    label: 'not a bool condition',
    help: 'compare it to get a bool, e.g. `where(x != 0, a, b)`',
  },
  TH0354: {
    title: 'axis out of range',
    message: 'axis {axis} is out of range for {type} of rank {rank}',
    label: 'axis {axis} does not exist',
    note: 'valid axes run from -{rank} to {last}',
  },
  TH0355: {
    title: 'repeated axis',
    message: 'axis {axis} is repeated for {type}',
    label: 'this axis appears twice',
  },
  TH0356: {
    title: 'reshape changes the element count',
    message: 'cannot reshape {type} to {shape}: {from} elements versus {to}',
    label: 'element counts differ',
    note: 'the element counts must be provably equal (products of the dimensions)',
  },
  TH0357: {
    title: 'bad reshape target',
    message: 'invalid reshape target {shape} for {type}',
    label: '{reason}',
    note: 'only one `-1` entry (meaning "infer this size") is allowed, and no other negative sizes',
  },
  TH0358: {
    title: 'bad transpose axes',
    message: 'transpose axes {axes} are not a permutation of the {rank} axes of {type}',
    label: 'not a permutation',
  },
  TH0359: {
    title: 'cannot broadcast to shape',
    message: 'cannot broadcast {type} to {shape}',
    label: 'incompatible target shape',
    note: 'each dimension must equal the target dimension or be 1, comparing from the right',
  },
  TH0360: {
    title: 'concat operands differ',
    message: 'cannot {op} {a} with {b} along axis {axis}',
    label: 'shapes differ outside the {op} axis',
    note: 'all operands need the same rank and the same sizes on every other axis',
  },
  TH0361: {
    title: 'empty tensor list',
    message: '`{op}` needs at least one tensor',
    label: 'empty list',
  },
  TH0362: {
    title: 'matmul inner dimensions differ',
    message: 'cannot multiply {a} by {b}: inner dimensions {ka} and {kb} differ',
    label: 'inner dimensions differ',
    note: 'for a @ b the last dimension of a must equal the second-to-last of b (the only one when b is 1-D)',
  },
  TH0363: {
    title: 'matmul of a scalar',
    message: 'cannot multiply {a} by {b} with `@`: both operands need at least one dimension',
    label: 'scalar operand',
    help: 'use `*` to multiply by a scalar',
  },
  TH0364: {
    title: 'matmul batch dimensions differ',
    message: 'cannot multiply {a} by {b}: batch dimensions do not broadcast',
    label: 'batch dimensions differ',
  },
  TH0365: {
    title: 'too many indices',
    message: 'too many indices for {type}: {count} given',
    label: 'rank is {rank}',
  },
  TH0366: {
    title: 'index out of bounds',
    message: 'index {index} is out of bounds for axis {axis} of {type}',
    label: 'axis {axis} has size {size}',
  },
  TH0367: {
    title: 'zero slice step',
    message: 'slice step cannot be zero',
    label: 'step 0',
  },
  TH0368: {
    title: 'non-integer index',
    message: 'an index tensor must have an integer dtype, found {type}',
    label: 'not an integer index',
    help: 'for a bool mask use `where(mask, x, 0)`; for float indices use `cast(i, i32)`',
  },
  TH0369: {
    title: 'several axes for an arg-reduction',
    message: '`{op}` takes a single axis, found {axis}',
    label: 'one axis or none',
  },
  TH0370: {
    title: 'non-integer labels',
    message: '`{op}` needs integer labels, found {type}',
    label: 'not integer labels',
    help: 'convert them with `cast(y, i32)`',
  },
  TH0371: {
    title: 'dot of high-rank operands',
    message: '`dot` of {a} and {b} is not supported: operands of rank above 2',
    label: 'rank above 2',
    help: 'use `@` (matmul), which broadcasts batch dimensions',
  },
  TH0372: {
    title: 'slice of a symbolic dimension',
    message: 'cannot compute the length of slice {slice} of dimension {dim} statically',
    label: 'slice length depends on the size of {dim}',
    note: 'slices of a symbolic dimension support steps 1 and -1, or a step dividing the length exactly',
  },
  TH0373: {
    title: 'negative size',
    message: 'size {size} in `{op}` is negative',
    label: 'negative size',
  },
  TH0374: {
    title: 'unknown dtype',
    message: 'unknown dtype `{dtype}`',
    label: 'not a dtype',
    note: 'dtypes are f16, f32, f64, i32, u32 and bool',
  },
  TH0375: {
    title: 'index tensors do not broadcast',
    message: 'index tensors of shapes {a} and {b} do not broadcast together',
    label: 'index shapes differ',
  },

  TH0690: {
    title: 'shapes do not broadcast at run time',
    message: 'cannot broadcast shapes {a} and {b} at run time',
    note: 'a `_` dimension matches anything when checked, so its size is only known when the program runs',
  },
  TH0691: {
    title: 'negative integer power',
    message: 'integers to negative integer powers are not allowed: {base} ^ {exp}',
    help: 'convert the base to a float first, e.g. `cast(x, f64) ^ y`',
  },
  TH0692: {
    title: 'empty reduction',
    message: 'zero-size array to reduction operation {op} which has no identity (shape {shape})',
  },
  TH0693: {
    title: 'index out of bounds at run time',
    message: 'index {index} is out of bounds for axis {axis} with size {size}',
  },
  TH0694: {
    title: 'label out of range',
    message: 'label {label} is out of range for `one_hot` with {k} classes',
    note: 'labels must lie in 0 to {k} - 1',
  },
  TH0695: {
    title: 'run-time shape differs from the static one',
    message: '`{op}` produced shape {actual} where {expected} was expected',
    note: 'the sizes bound at run time do not satisfy the shape the compiler derived',
  },
  TH0696: {
    title: 'matmul dimensions differ at run time',
    message: 'cannot multiply shapes {a} and {b} at run time: inner dimensions differ',
  },
  TH0697: {
    title: 'reshape changes the element count at run time',
    message: 'cannot reshape an array of shape {from} to {to} at run time',
    note: 'the sizes bound at run time give different element counts',
  },
  TH0699: {
    title: 'internal run-time error',
    message: 'internal error while evaluating `{op}`: {detail}',
    note: 'this is a bug in thc, not in your program',
  },
};
