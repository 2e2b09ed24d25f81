/**
 * @file Wording for the JS target (TH0540-TH0549, inside the TH05xx targets range; TH0530-TH0539
 * are the C backend's): programs the JS target cannot compile yet, and the module's write error.
 */
import type { Catalog } from '../codes.js';

export const jsCodes: Catalog = {
  TH0540: {
    title: 'dtype not available in the JS target',
    message: '`{dtype}` values cannot be compiled to JS yet',
    label: '`{dtype}` declared here',
    note: 'the JS target computes in f64, f32, i32, u32 and bool on typed arrays; JS has no half-precision array in every engine',
    help: 'declare the value as `f32` or `f64`, or run it on the reference interpreter',
  },
  TH0541: {
    title: 'operation not available in the JS target',
    message: 'the JS target cannot compile `{op}` yet',
    label: 'this operation',
    note: 'the JS target compiles elementwise operations, reductions, matmul, concat, one_hot, arange, views, indexing with index tensors, `uniform` and `normal` (docs/js.md)',
    help: 'run the program on the reference interpreter (`thc run --device cpu`)',
  },
  TH0542: {
    title: 'cannot write the JS module',
    message: 'cannot write `{path}`: {reason}',
    note: '`thc compile --target js -o DIR` writes the standalone module and its declarations into DIR, creating it if missing',
  },
};
