/**
 * @file The one parse of `THC_DEBUG`: a comma- or space-separated list of debugging aids, like
 * tinygrad's DEBUG levels but by name. `stack`: a TH9001 internal error carries the stack trace;
 * `kernels`: `thc run --device gpu` prints each kernel's WGSL (first use) and its GPU time per call
 * on stderr (docs/wgsl.md).
 */

export type DebugFlag = 'stack' | 'kernels';

/** Whether `THC_DEBUG` names `flag`. */
export function debugEnabled(flag: DebugFlag, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return (env['THC_DEBUG'] ?? '').split(/[\s,]+/).includes(flag);
}
