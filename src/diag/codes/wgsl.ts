/**
 * @file Wording for the WGSL backend (TH0520-TH0529, inside the TH05xx targets range; TH0503-TH0509
 * are the GPU device's, TH0510-TH0519 the scheduler's): programs the first WGSL backend cannot run,
 * and GPU failures that are thc's own bugs.
 */
import type { Catalog } from '../codes.js';

export const wgslCodes: Catalog = {
  TH0520: {
    title: 'dtype not available on the GPU',
    message: '`{dtype}` values cannot run on the GPU',
    label: '`{dtype}` declared here',
    note: 'the WGSL backend computes in f32, i32, u32 and bool, and in f16 on a device with the `shader-f16` feature: WGSL has no 64-bit floats',
    help: 'declare the value as `f32`, or run on the CPU with `--device cpu`',
    explain: 'WGSL, the shading language of WebGPU, has no f64 type, and the WGSL backend does not emulate it: a program whose kernels hold f64 values runs on the CPU only. f16 runs on the GPU only with `thc run --device gpu` on a device whose adapter has `shader-f16` (`thc gpu-info` lists the features); `thc compile --target wgsl` and `--device auto` do not know the device and keep f16 off the GPU. `zeros` and `ones` default to f64, and `mean` of integers computes in f64; write `f32` in the declarations to run on the GPU. See docs/wgsl.md.',
  },
  TH0521: {
    title: 'operation not available on the GPU',
    message: 'the WGSL backend cannot run `{op}` yet',
    label: 'this operation',
    note: 'the first WGSL backend runs elementwise operations, reductions, matmul, concat, one_hot, views, indexing, `uniform` and `normal` (docs/wgsl.md)',
    help: 'run on the CPU with `--device cpu`',
  },
  TH0522: {
    title: 'GPU rejected a kernel',
    message: 'internal compiler error: the GPU rejected {what}: {detail}',
    note: 'this is a bug in thc, not in your program',
    help: 'please report it; `thc run --device interp` runs the program on the reference interpreter meanwhile',
  },
  TH0524: {
    title: 'random values would differ on the GPU',
    message: '`uniform` with lo = {lo} and hi = {hi} cannot reproduce the interpreter\'s numbers on the GPU',
    label: 'drawn here',
    note: 'the interpreter computes lo + (hi - lo) * u in f64 and rounds once; the GPU computes in f32, which gives the same numbers only when hi - lo is a power of two (and lo an f32), and the result f32 (an f16 draw is never shown to match)',
    help: 'draw `uniform(0, 1)` and scale it yourself, or run on the CPU with `--device cpu`',
  },
  TH0527: {
    title: 'random values would differ on the GPU',
    message: '`normal` with mean = {mean} and std = {std} cannot reproduce the interpreter\'s numbers on the GPU',
    label: 'drawn here',
    note: 'the GPU computes the standard normal z exactly as the interpreter does, but then std * z in f32, which matches the interpreter\'s mean + std * z (f64, rounded once) only when mean is 0 and std a positive power of two, and the result f32 (an f16 draw is never shown to match)',
    help: 'draw `normal(0, 1)` and write `mean + std * z` yourself (then it is ordinary f32 arithmetic on both), or run on the CPU with `--device cpu`',
  },
  TH0525: {
    title: 'tensor too large for the GPU',
    message: 'the tensor `{buffer}` needs {mib} MiB, more than the {limit} MiB one GPU binding may hold',
    note: 'WebGPU guarantees storage bindings of 128 MiB; thc asks the device for no more than that, and does not split a tensor across bindings yet',
    help: 'use smaller sizes, or run on the CPU with `--device cpu`',
  },
  TH0526: {
    title: 'cannot write the host module',
    message: 'cannot write `{path}`: {reason}',
    note: '`thc compile --target wgsl -o DIR` writes the kernels, the host module and its declarations into DIR, creating it if missing',
  },
  TH0523: {
    title: 'option not available on the GPU',
    message: '`{flag}` is not available with `--device gpu`',
    note: '`--check` and `--nan-guard` watch the reference interpreter as it evaluates the graph',
    help: 'run with `--device interp` (or without `--device`) to use them',
  },
};
