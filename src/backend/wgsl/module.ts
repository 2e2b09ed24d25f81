/**
 * @file A schedule as WGSL text: one module per kernel, in execution order. `thc run --device gpu`
 * asks for each call's modules with the call's sizes baked in (run.ts caches pipelines by text);
 * `thc compile --target wgsl` prints every module with symbolic sizes as `override dim_<name>: i32`
 * constants, which a host sets at pipeline creation, plus a comment naming each kernel's bindings.
 */
import type { Dim } from '../../sema/dims.js';
import type { Kernel, Schedule } from '../../schedule/types.js';
import { kernelModule, type FormChoice, type KernelModule, type ModuleOptions } from './kernel.js';
import { concreteDims, symbolicDims } from './types.js';

/** Every kernel's module for concrete sizes. */
export function concreteModules(s: Schedule, size: (d: Dim) => number, opts: ModuleOptions = {}): KernelModule[] {
  const dim = concreteDims(size);
  return s.kernels.map(k => kernelModule(k, dim, [], size, opts));
}

/**
 * One kernel's module with symbolic sizes: each dimension name the text uses becomes an
 * `override dim_<name>: i32` constant, declared at the top. `form` is the form to print
 * (kernel.ts FormChoice; undefined: the form meant for unknown sizes, a blocked matmul and a
 * one-pass reduction).
 */
export function symbolicModule(k: Kernel, form?: FormChoice): KernelModule & { overrides: string[] } {
  const opts: ModuleOptions = form ? { form } : {};
  // First pass: learn which dimension names the module uses; second: declare them.
  const probe = symbolicDims();
  kernelModule(k, probe.text, [], undefined, opts);
  const names = [...probe.names].sort();
  const m = kernelModule(k, symbolicDims().text, names.map(n => `override dim_${n}: i32;`), undefined, opts);
  return { ...m, overrides: names };
}

/** The modules of one entry point as one text (sizes symbolic), for `thc compile --target wgsl`. */
export function scheduleText(s: Schedule): string {
  const parts = [`// entry ${s.entry}: ${s.kernels.length} kernel${s.kernels.length === 1 ? '' : 's'}, one WGSL module each`];
  for (const k of s.kernels) {
    const m = symbolicModule(k);
    const binds = m.bindings.map((b, i) => `${i}=${s.buffers[b]!.name}`).join(' ');
    parts.push(`// ---------------------------------------------------------------- ${k.name} (bindings: ${binds})\n${m.text}`);
  }
  return parts.join('\n');
}
