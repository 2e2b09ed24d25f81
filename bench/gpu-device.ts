/**
 * @file The benchmark's WebGPU device: one Dawn device (the `webgpu` package) shared by thc's WGSL
 * runner and TensorFlow.js's WebGPU backend, so both peers run on the same adapter, queue and
 * limits in the same process. It is made here rather than by src/gpu/device.ts's acquireGpu for
 * one reason: kernel timing needs Dawn's `timestamp_quantization` toggle off (see gpu-timer.ts),
 * and the toggle is an argument of `create`. The device asks for `timestamp-query` and for the six
 * limits TensorFlow.js's own backend factory asks for (tfjs-backend-webgpu base.ts), so TensorFlow.js
 * runs as it would in a browser; thc's runner only reads the binding-size limit. The result has
 * the shape of src/gpu/device.ts's `Gpu`, which is what createWgslRunner takes.
 */
import { createRequire } from 'node:module';
import type { Gpu, GpuAdapterInfo } from '../src/gpu/device.js';
import { errorRecord, type GpuErrorRecord } from '../src/gpu/errors.js';
import { passTimer, type PassTimer } from './gpu-timer.js';

/** The limits tfjs-backend-webgpu 4.22 requests from the adapter (its base.ts). */
const TFJS_LIMITS = ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize',
  'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup'] as const;

export interface BenchGpu {
  /** For createWgslRunner; its `device` is the timer's wrapped device. */
  readonly gpu: Gpu;
  readonly timer: PassTimer;
  /** Dawn's GPU object (`navigator.gpu` for TensorFlow.js); must stay referenced while the device lives. */
  readonly dawn: GPU;
  readonly adapterInfo: GPUAdapterInfo;
  release(): void;
}

function limitsOf(l: GPUSupportedLimits): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k in l) {
    const v = (l as unknown as Record<string, unknown>)[k];
    if (typeof v === 'number') out[k] = v;
  }
  return out;
}

/** The device, or why there is none (as text for the benchmark's row). */
export async function benchGpu(): Promise<BenchGpu | { error: string }> {
  const t0 = performance.now();
  let mod: typeof import('webgpu');
  try {
    mod = await import('webgpu');
  } catch (e) {
    return { error: `the webgpu package failed to load: ${String((e as Error)?.message ?? e).split('\n')[0]}` };
  }
  for (const [k, v] of Object.entries(mod.globals)) if (!(k in globalThis)) Object.assign(globalThis, { [k]: v });
  const dawn = mod.create(['disable-dawn-features=timestamp_quantization']);
  const adapter = await dawn.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) return { error: 'no WebGPU adapter (no Vulkan driver; on Debian install mesa-vulkan-drivers from bookworm-backports)' };
  const adapterLimits = limitsOf(adapter.limits);
  const requiredLimits: Record<string, number> = {};
  for (const k of TFJS_LIMITS) if (adapterLimits[k] !== undefined) requiredLimits[k] = adapterLimits[k]!;
  const requiredFeatures = (['timestamp-query'] as GPUFeatureName[]).filter(f => adapter.features.has(f));
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredFeatures, requiredLimits });
  } catch (e) {
    return { error: `the adapter refused a device: ${String((e as Error)?.message ?? e).split('\n')[0]}` };
  }
  // Without a listener Dawn prints uncaptured errors on stdout; the runner's error scopes catch its own.
  const uncaptured: GpuErrorRecord[] = [];
  device.addEventListener('uncapturederror', ev => {
    ev.preventDefault();
    if (uncaptured.length < 100) uncaptured.push(errorRecord((ev as GPUUncapturedErrorEvent).error));
  });
  const timer = passTimer(device);
  const i = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean; subgroupMinSize?: number; subgroupMaxSize?: number };
  const info: GpuAdapterInfo = {
    vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description,
    isFallbackAdapter: i.isFallbackAdapter === true,
    ...(i.subgroupMinSize === undefined ? {} : { subgroupMinSize: i.subgroupMinSize }),
    ...(i.subgroupMaxSize === undefined ? {} : { subgroupMaxSize: i.subgroupMaxSize }),
  };
  let version = 'unknown';
  try { version = (createRequire(import.meta.url)('webgpu/package.json') as { version: string }).version; } catch { /* reported as unknown */ }
  const gpu: Gpu = {
    info, device: timer.device, limits: limitsOf(device.limits), adapterLimits,
    features: [...device.features].sort(), adapterFeatures: [...adapter.features].sort(), policy: 'adapter',
    packageVersion: version, acquireMs: performance.now() - t0, uncaptured,
  };
  // Dawn's GPU object and the adapter stay referenced while the device is used (src/gpu/device.ts
  // explains the crash otherwise), and are let go with it.
  const keep: unknown[] = [dawn, adapter];
  return {
    gpu, timer, dawn, adapterInfo: adapter.info,
    release() {
      device.destroy();
      keep.length = 0;
    },
  };
}

/** True on a software adapter (lavapipe/llvmpipe, SwiftShader), where only smoke sizes make sense. */
export function isSoftware(info: GpuAdapterInfo): boolean {
  return info.isFallbackAdapter || info.architecture === 'software' || /llvmpipe|lavapipe|swiftshader/i.test(`${info.device} ${info.description}`);
}
