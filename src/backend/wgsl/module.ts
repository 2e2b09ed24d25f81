/**
 * @file A schedule as WGSL text: one module per kernel, in execution order. `thc run --device gpu`
 * asks for each call's modules with the call's sizes baked in (run.ts caches pipelines by text);
 * `thc compile --target wgsl` prints every module with symbolic sizes as `override dim_<name>: i32`
 * constants, which a host sets at pipeline creation, plus a comment naming each kernel's bindings.
 */
import type { Dim } from '../../sema/dims.js';
import type { Schedule } from '../../schedule/types.js';
import { kernelModule, type KernelModule, type ModuleOptions } from './kernel.js';
import { concreteDims, symbolicDims } from './types.js';

/** Every kernel's module for concrete sizes. */
export function concreteModules(s: Schedule, size: (d: Dim) => number, opts: ModuleOptions = {}): KernelModule[] {
  const dim = concreteDims(size);
  return s.kernels.map(k => kernelModule(k, dim, [], size, opts));
}

/** The modules of one entry point as one text (sizes symbolic), for `thc compile --target wgsl`. */
export function scheduleText(s: Schedule): string {
  const parts = [`// entry ${s.entry}: ${s.kernels.length} kernel${s.kernels.length === 1 ? '' : 's'}, one WGSL module each`];
  for (const k of s.kernels) {
    // First pass: learn which dimension names the module uses; second: declare them.
    const probe = symbolicDims();
    kernelModule(k, probe.text);
    const dims = symbolicDims();
    const overrides = [...probe.names].sort().map(n => `override dim_${n}: i32;`);
    const m = kernelModule(k, dims.text, overrides);
    const binds = m.bindings.map((b, i) => `${i}=${s.buffers[b]!.name}`).join(' ');
    parts.push(`// ---------------------------------------------------------------- ${k.name} (bindings: ${binds})\n${m.text}`);
  }
  return parts.join('\n');
}
