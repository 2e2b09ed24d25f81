/**
 * @file The process's one WebGPU device, from Dawn's node bindings (the `webgpu` npm package),
 * loaded with a dynamic import on first use so no other command pays for it. `acquireGpu` returns
 * the adapter's description, the device, its limits and features, or a structured reason why there
 * is none (package missing or unloadable, no adapter, device refused). Limits are the spec defaults
 * (the portability baseline) unless the adapter's own are asked for. Errors no error scope caught
 * are recorded, never printed by Dawn. Dawn's objects have two lifetime rules (measured with
 * webgpu 0.6.2): the GPU object from `create` must stay referenced while its device is used (once
 * it is garbage-collected the next device call crashes the process with a segmentation fault), and
 * a referenced one may keep Node from exiting (the package README's "Lifetime" caveat). So this
 * module holds it, and `releaseGpu` destroys the device and then drops every reference.
 */
import { createRequire } from 'node:module';
import { type GpuErrorRecord, errorRecord } from './errors.js';
import { importPackage } from './loader.js';

/** `default`: the spec's default limits, what every WebGPU device offers; `adapter`: the adapter's best. */
export type LimitsPolicy = 'default' | 'adapter';

export interface GpuRequest {
  readonly limits?: LimitsPolicy;
  /** Optional features to enable when the adapter has them (`shader-f16`, `subgroups`, ...). */
  readonly features?: readonly string[];
}

/** GPUAdapterInfo as plain data. */
export interface GpuAdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** A software or otherwise limited adapter (lavapipe is one). */
  readonly isFallbackAdapter: boolean;
  readonly subgroupMinSize?: number;
  readonly subgroupMaxSize?: number;
}

/** GPUSupportedLimits as plain data: limit name -> value. */
export type GpuLimits = Readonly<Record<string, number>>;

export interface Gpu {
  readonly info: GpuAdapterInfo;
  readonly device: GPUDevice;
  /** What the device got (the spec defaults unless the policy is `adapter`). */
  readonly limits: GpuLimits;
  /** What the adapter could have given. */
  readonly adapterLimits: GpuLimits;
  /** Enabled on the device, sorted. */
  readonly features: readonly string[];
  /** Supported by the adapter, sorted. */
  readonly adapterFeatures: readonly string[];
  readonly policy: LimitsPolicy;
  /** The `webgpu` package's version. */
  readonly packageVersion: string;
  /** Milliseconds from loading the package to holding the device. */
  readonly acquireMs: number;
  /** Errors no error scope caught (captureErrors in errors.ts is the way to catch them). */
  readonly uncaptured: readonly GpuErrorRecord[];
}

/** Why there is no device; the CLI turns each kind into its TH05xx diagnostic. */
export type GpuUnavailable =
  | { readonly kind: 'no-package'; readonly detail: string }
  | { readonly kind: 'load-failed'; readonly detail: string }
  | { readonly kind: 'no-adapter'; readonly packageVersion: string }
  | { readonly kind: 'no-device'; readonly adapter: string; readonly detail: string };

export type GpuAcquisition = { readonly ok: true; readonly gpu: Gpu } | { readonly ok: false; readonly reason: GpuUnavailable };

type WebGpuModule = typeof import('webgpu');

/** The one acquisition of this process; cleared by releaseGpu and by an unexpected device loss. */
let current: { readonly policy: LimitsPolicy; readonly generation: number; readonly result: Promise<GpuAcquisition> } | undefined;
let generations = 0;

/** Dawn's GPU object and adapter behind each live device, by generation, held on purpose (see the header). */
const held = new Map<number, readonly unknown[]>();

/**
 * The process's GPU device, acquired on the first call (0.05-0.3 s on lavapipe) and shared by
 * later ones. One device per process: asking again with another limits policy, before
 * releaseGpu, is a programming error and throws. A failed acquisition is remembered too.
 */
export function acquireGpu(request: GpuRequest = {}): Promise<GpuAcquisition> {
  const policy = request.limits ?? 'default';
  if (current && current.policy !== policy) {
    throw new Error(`the GPU device of this process was acquired with ${current.policy} limits; release it before asking for ${policy} limits`);
  }
  if (!current) {
    const generation = ++generations;
    current = { policy, generation, result: acquire(policy, request.features ?? [], generation) };
  }
  return current.result;
}

/**
 * Destroys the device and forgets Dawn's objects (the GPU object from `create`, the adapter, the
 * device): while any is referenced Dawn may keep Node's event loop alive. Safe to call any time.
 */
export async function releaseGpu(): Promise<void> {
  const was = current;
  current = undefined;
  if (!was) return;
  const r = await was.result;
  if (r.ok) r.gpu.device.destroy();
  held.delete(was.generation);
}

/**
 * Classifies a failed import of the package `name`: not installed (Node could not find the package
 * itself), or installed but failed to load (its dawn.node missing or rejected by the system).
 */
export function classifyLoadError(e: unknown, name = 'webgpu'): GpuUnavailable {
  const err = e as { code?: string; message?: string };
  const detail = String(err?.message ?? e).split('\n')[0]!;
  const missing = (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND') && detail.includes(`'${name}'`);
  return missing ? { kind: 'no-package', detail } : { kind: 'load-failed', detail };
}

async function loadWebGpu(): Promise<WebGpuModule | GpuUnavailable> {
  try {
    const mod = await importPackage('webgpu') as WebGpuModule;
    // GPUBufferUsage, GPUMapMode, ... as globals, as in a browser (and as @webgpu/types declares
    // them); existing globals are left alone.
    for (const [k, v] of Object.entries(mod.globals)) if (!(k in globalThis)) Object.assign(globalThis, { [k]: v });
    return mod;
  } catch (e) {
    return classifyLoadError(e);
  }
}

function packageVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (require('webgpu/package.json') as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function acquire(policy: LimitsPolicy, wanted: readonly string[], generation: number): Promise<GpuAcquisition> {
  const t0 = performance.now();
  const mod = await loadWebGpu();
  if (!('create' in mod)) return { ok: false, reason: mod };
  const version = packageVersion();
  const gpu = mod.create([]);
  // Dawn answers null when no backend has an adapter; a rejection means the same to the user.
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { ok: false, reason: { kind: 'no-adapter', packageVersion: version } };
  // NOTE: without this reference the GPU object could be collected while the device lives on.
  held.set(generation, [gpu, adapter]);
  const info = adapterInfo(adapter.info);
  const adapterLimits = limitsOf(adapter.limits);
  const adapterFeatures = [...adapter.features].sort();
  const requiredFeatures = wanted.filter(f => adapter.features.has(f)) as GPUFeatureName[];
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredFeatures,
      ...(policy === 'adapter' ? { requiredLimits: adapterLimits } : {}),
    });
  } catch (e) {
    return { ok: false, reason: { kind: 'no-device', adapter: info.description, detail: String((e as Error)?.message ?? e).split('\n')[0]! } };
  }
  const uncaptured = watch(device, generation);
  const gpuResult: Gpu = {
    info, device, limits: limitsOf(device.limits), adapterLimits,
    features: [...device.features].sort(), adapterFeatures, policy, packageVersion: version,
    acquireMs: performance.now() - t0, uncaptured,
  };
  return { ok: true, gpu: gpuResult };
}

/** At most this many uncaptured errors are kept (a broken loop must not grow memory without end). */
const MAX_UNCAPTURED = 100;

/**
 * Records errors no scope caught: without a listener that calls preventDefault, Dawn prints them
 * to **stdout**, where they would mix with the program's results. An unexpected device loss
 * (anything but our own destroy) forgets the device so the next acquireGpu makes a new one.
 */
function watch(device: GPUDevice, generation: number): GpuErrorRecord[] {
  const uncaptured: GpuErrorRecord[] = [];
  device.addEventListener('uncapturederror', ev => {
    ev.preventDefault();
    if (uncaptured.length < MAX_UNCAPTURED) uncaptured.push(errorRecord((ev as GPUUncapturedErrorEvent).error));
  });
  void device.lost.then(lost => {
    if (lost.reason !== 'destroyed' && current?.generation === generation) current = undefined;
  });
  return uncaptured;
}

function adapterInfo(i: GPUAdapterInfo): GpuAdapterInfo {
  const extra = i as GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number; isFallbackAdapter?: boolean };
  return {
    vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description,
    isFallbackAdapter: extra.isFallbackAdapter === true,
    ...(extra.subgroupMinSize === undefined ? {} : { subgroupMinSize: extra.subgroupMinSize }),
    ...(extra.subgroupMaxSize === undefined ? {} : { subgroupMaxSize: extra.subgroupMaxSize }),
  };
}

/** Every numeric limit; GPUSupportedLimits exposes them as prototype getters, so `for in` finds them. */
function limitsOf(l: GPUSupportedLimits): GpuLimits {
  const out: Record<string, number> = {};
  for (const k in l) {
    const v = (l as unknown as Record<string, unknown>)[k];
    if (typeof v === 'number') out[k] = v;
  }
  return out;
}
