/** @file Wording for errors the graph builder reports itself (TH0340-TH0349): promotion and op lookup. */
import type { Catalog } from '../codes.js';

export const graphCodes: Catalog = {
  TH0340: {
    title: 'no common dtype',
    message: 'no common dtype for {a} and {b}',
    label: 'operands of `{op}` have dtypes {a} and {b}',
    note: 'numpy would need int64 here, which .th does not have',
    help: 'convert one side explicitly, e.g. `cast(x, i32)` or `cast(x, f64)`',
  },
  TH0341: {
    title: 'unknown op',
    message: 'internal: no op named `{op}` in the op table',
  },
};

/** Labels the builder puts on operands (filled with fillTemplate). */
export const graphLabels = {
  inputType: 'this is {type}',
} as const;
