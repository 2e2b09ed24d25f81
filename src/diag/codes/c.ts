/**
 * @file Wording for the C backend (TH0530-TH0539, inside the TH05xx targets range; TH0520-TH0529
 * are the WGSL backend's): programs the first C backend cannot compile, a missing system C
 * compiler, and failures of generated code that are thc's own bugs.
 */
import type { Catalog } from '../codes.js';

export const cCodes: Catalog = {
  TH0530: {
    title: 'dtype not available in C',
    message: '`{dtype}` values cannot be compiled to C yet',
    label: '`{dtype}` declared here',
    note: 'the C backend computes in f64, f32, i32, u32 and bool; C99 has no portable half-precision type',
    help: 'declare the value as `f32` or `f64`, or run it on the reference interpreter',
  },
  TH0531: {
    title: 'operation not available in C',
    message: 'the C backend cannot compile `{op}` yet',
    label: 'this operation',
    note: 'the first C backend compiles elementwise operations, reductions, matmul, concat, one_hot, arange, views, indexing with index tensors and `uniform`; `normal` comes later: its numbers must match the interpreter\'s bit for bit, and libm\'s log and cos may differ from the interpreter\'s in the last bit (docs/c.md)',
    help: 'run the program on the reference interpreter (`thc run --device interp`); `--device cpu` and `--device auto` do so by themselves, with a note',
  },
  TH0532: {
    title: 'no C compiler',
    message: 'no C compiler found: tried {tried}',
    note: 'running generated C needs a C99 compiler on the PATH (or named by the CC environment variable)',
    help: 'install gcc or clang, or run on the reference interpreter',
  },
  TH0533: {
    title: 'generated C failed',
    message: 'internal compiler error: {what}: {detail}',
    note: 'this is a bug in thc, not in your program',
    help: 'please report it; `thc run --device interp` runs the program on the reference interpreter meanwhile',
  },
  TH0534: {
    title: 'option not available with the C backend',
    message: '`{flag}` is not available with `--device cpu`',
    note: '`--device cpu` runs generated C; `--check` and `--nan-guard` watch the reference interpreter as it evaluates the graph',
    help: 'run with `--device interp` (or without `--device`) to use it',
  },
  TH0535: {
    title: 'generated C stopped',
    message: 'the generated C stopped with `{error}`',
    label: 'in this entry point',
    note: '`shape`: an input does not have the declared shape; `negativePower`, `label`, `index`, `empty`: a negative integer exponent, a one_hot label or an index out of range, or max/min of an empty axis, the run-time errors the interpreter reports',
    help: 'run with `--device interp` to get the interpreter\'s message, which points at the operation',
  },
  TH0536: {
    title: 'C name clash',
    message: 'the C name `{name}` of {what} is already {other}',
    note: '`thc compile --target c -o DIR` names every public symbol `thc_<program>_<name>` with mangled names, and a few combinations of program, entry point and variable names give the same C name',
    help: 'rename the entry point or shared variable, or the .th file',
  },
  TH0537: {
    title: 'cannot write the C files',
    message: 'cannot write `{path}`: {reason}',
    note: '`thc compile --target c -o DIR` creates DIR if it is missing and writes `<stem>.h` and `<stem>.c` into it',
    help: 'choose a folder you can write to',
  },
};
