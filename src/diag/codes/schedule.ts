/**
 * @file Wording for the kernel scheduler (TH0510-TH0519, inside the TH05xx range of the targets it
 * serves): programs that cannot be split into kernels within a target's limits.
 */
import type { Catalog } from '../codes.js';

export const scheduleCodes: Catalog = {
  TH0510: {
    title: 'kernel binds too many buffers',
    message: 'the kernel computing `{op}` needs {count} storage buffers, more than the limit of {limit}',
    label: 'computed here',
    note: 'a kernel binds every tensor it reads or writes as a storage buffer; this operation alone reads {inputs} distinct tensors, and the target allows {limit} bindings per kernel (WebGPU guarantees 8)',
    help: 'make the operation read fewer distinct tensors (for example, index with fewer index tensors at once)',
  },
  TH0511: {
    title: 'operation has no kernel',
    message: 'internal compiler error: the kernel scheduler has no rule for `{op}`',
    label: 'this operation',
    note: 'this is a bug in thc, not in your program',
    help: 'please report it; `thc run` executes the program on the reference interpreter meanwhile',
  },
};
