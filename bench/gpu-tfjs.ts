/**
 * @file TensorFlow.js's WebGPU backend in Node, on the benchmark's Dawn device. Two obstacles, both
 * measured with tfjs 4.22.0 on Node 20:
 *  - tfjs-core's Node build (`main`, dist/tf-core.node.js) registers no gradients (the
 *    `@tensorflow/tfjs` umbrella does that), so `tf.variableGrads` fails with "gradient function
 *    not found for Add"; the registering module, dist/register_all_gradients.js, is ES module code
 *    with extensionless imports that Node cannot load. So tfjs-core (its `module` build, with the
 *    gradients) and tfjs-backend-webgpu are bundled with esbuild into one ES module, as a browser
 *    app would bundle them, one copy of the engine for both (dist/bench/tfjs-webgpu.mjs, rebuilt
 *    on each run: about a second).
 *  - Node 20 has no `navigator`, and tfjs-backend-webgpu registers its backend only when
 *    `navigator.gpu` exists; so `navigator.gpu` is Dawn's GPU object. The package's own factory
 *    would ask it for a second adapter and device; it is replaced by one that wraps the shared,
 *    timed device.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../src/pipeline.js';
import type { BenchGpu } from './gpu-device.js';
import type { Tf } from './gpu-workloads.js';

type WebGpuModule = typeof import('@tensorflow/tfjs-backend-webgpu');

const ENTRY = [
  "export * from '@tensorflow/tfjs-core';",
  "import '@tensorflow/tfjs-core/dist/register_all_gradients';",
  "export { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';",
].join('\n');

/** Builds the bundle; its path. */
async function bundle(): Promise<string> {
  const { build } = await import('esbuild');
  const dir = join(PACKAGE_ROOT, 'dist', 'bench');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'tfjs-webgpu.mjs');
  await build({
    stdin: { contents: ENTRY, resolveDir: PACKAGE_ROOT, loader: 'js', sourcefile: 'tfjs-webgpu-entry.js' },
    outfile, bundle: true, platform: 'node', target: 'node20', format: 'esm', mainFields: ['module', 'main'], logLevel: 'error',
    // tfjs's Node platform code calls require (node-fetch, util) lazily.
    banner: { js: "import { createRequire as __tfjsCreateRequire } from 'node:module'; const require = __tfjsCreateRequire(import.meta.url);" },
  });
  return outfile;
}

export async function loadTfjs(bg: BenchGpu): Promise<{ tf: Tf; version: string } | { error: string }> {
  try {
    const g = globalThis as { navigator?: { gpu?: GPU } };
    if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: { gpu: bg.dawn }, configurable: true, writable: true });
    else if (!g.navigator.gpu) Object.defineProperty(g.navigator, 'gpu', { value: bg.dawn, configurable: true });
    const mod = await import(pathToFileURL(await bundle()).href) as Tf & Pick<WebGpuModule, 'WebGPUBackend'>;
    const tf: Tf = mod;
    if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
    tf.registerBackend('webgpu', () => new mod.WebGPUBackend(bg.gpu.device, bg.adapterInfo), 3);
    if (!(await tf.setBackend('webgpu'))) return { error: 'tf.setBackend("webgpu") returned false' };
    await tf.ready();
    return { tf, version: tf.version_core };
  } catch (e) {
    return { error: String((e as Error)?.message ?? e).split('\n')[0]! };
  }
}
