/**
 * @file The guard for tests that need a WebGPU device: `const gpuTest = await withGpu(test)`
 * acquires the process's device once (src/gpu/device.ts) and returns a test registrar that hands
 * each test the Gpu. On a machine without an adapter every such test is skipped (counted by uvu as
 * Skipped) behind ONE printed `skip:` line, which scripts/run-tests.mjs repeats in its summary;
 * with THC_REQUIRE_GPU=1 (CI sets it) each fails instead, naming the reason. The device is released
 * after the suite, so the test process exits.
 */
import * as assert from 'uvu/assert';
import type { Test } from 'uvu';
import { type Gpu, type GpuRequest, type GpuUnavailable, acquireGpu, releaseGpu } from '../../src/gpu/device.js';

/** Registers one test that needs the GPU. */
export type GpuTest = (name: string, body: (gpu: Gpu) => Promise<void> | void) => void;

/** True when a missing adapter must fail the tests rather than skip them (`THC_REQUIRE_GPU=1`). */
export const requireGpu = (): boolean => process.env['THC_REQUIRE_GPU'] === '1';

/** A missing device in one phrase, for the skip line and the failures. */
export function unavailableText(r: GpuUnavailable): string {
  switch (r.kind) {
    case 'no-adapter': return 'no WebGPU adapter (install mesa-vulkan-drivers from bookworm-backports)';
    case 'no-package': return `the webgpu package is not installed (${r.detail})`;
    case 'load-failed': return `the webgpu package failed to load (${r.detail})`;
    case 'no-device': return `the adapter ${r.adapter} refused a device (${r.detail})`;
  }
}

/**
 * Acquires the device (spec-default limits; `request`: optional features such as `shader-f16`,
 * enabled where the adapter has them) and returns the registrar for GPU tests on `test`.
 * Without a device: prints `skip: ...` once and skips every test, or with THC_REQUIRE_GPU=1
 * registers each one as a failure.
 */
export async function withGpu(test: Test, request: GpuRequest = {}): Promise<GpuTest> {
  const r = await acquireGpu(request);
  test.after(async () => { await releaseGpu(); });
  if (r.ok) return (name, body) => test(name, () => body(r.gpu));
  const why = unavailableText(r.reason);
  if (requireGpu()) {
    return name => test(name, () => assert.unreachable(`THC_REQUIRE_GPU=1 but ${why}`));
  }
  console.log(`skip: ${why}; set THC_REQUIRE_GPU=1 to make this a failure`);
  return name => test.skip(name);
}
