/**
 * @file The WebGPU device (src/gpu/device.ts) on a real adapter (lavapipe in CI): the default
 * device has the spec's default limits (GPU-NOTES 5.1); a hand-written WGSL kernel over 1,000 f32
 * reads back exactly what JavaScript computes; validation errors come back from the error-scope
 * helper as data; errors outside a scope are recorded, never printed; child processes that use
 * the device exit promptly, also after a garbage collection (Dawn's lifetime rules), and a child
 * asking for the adapter's limits gets them. Without an adapter the GPU tests skip (helpers/gpu.ts);
 * the tests of the pure parts (load-error classes, Vulkan facts) run everywhere.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { acquireGpu, classifyLoadError } from '../src/gpu/device.js';
import { captureErrors, compilationMessages } from '../src/gpu/errors.js';
import { vulkanFacts } from '../src/gpu/vulkan.js';
import { removeTempDirs, tempDir } from './helpers/cli.js';
import { withGpu } from './helpers/gpu.js';
import { axpbReference, runAxpb, sampleInput } from './helpers/gpu-kernel.js';
import { repoPath } from './helpers/paths.js';

const gpuTest = await withGpu(test);
test.after(removeTempDirs);
const dir = tempDir('gpu');

/** WGSL declaring `n` read_write storage buffers, all used by one entry point. */
const storageBuffers = (n: number): string =>
  Array.from({ length: n }, (_, i) => `@group(0) @binding(${i}) var<storage, read_write> b${i}: array<f32>;`).join('\n') +
  `\n@compute @workgroup_size(1) fn main() { ${Array.from({ length: n }, (_, i) => `b${i}[0] = 1.0;`).join(' ')} }\n`;

const pipelineErrors = (device: GPUDevice, code: string) => captureErrors(device, () =>
  device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } }));

gpuTest('the default device has the spec default limits (GPU-NOTES 5.1), whatever the adapter offers', gpu => {
  const l = gpu.limits;
  assert.is(gpu.policy, 'default');
  assert.is(l['maxStorageBuffersPerShaderStage'], 8);
  assert.is(l['maxComputeInvocationsPerWorkgroup'], 256);
  assert.is(l['maxComputeWorkgroupsPerDimension'], 65535);
  assert.is(l['maxComputeWorkgroupStorageSize'], 16 * 1024);
  assert.is(l['maxStorageBufferBindingSize'], 128 * 2 ** 20);
  assert.is(l['maxBufferSize'], 256 * 2 ** 20);
  assert.equal([l['maxComputeWorkgroupSizeX'], l['maxComputeWorkgroupSizeY'], l['maxComputeWorkgroupSizeZ']], [256, 256, 64]);
  for (const [name, v] of Object.entries(l)) {
    const best = gpu.adapterLimits[name]!;
    // `min*` limits are alignments: smaller is better.
    assert.ok(name.startsWith('min') ? v >= best : v <= best, `${name}: device ${v}, adapter ${best}`);
  }
  assert.ok(gpu.info.description.length > 0, 'the adapter has a description');
  assert.not.ok(gpu.features.includes('shader-f16'), 'no optional feature unless asked for');
});

gpuTest('one device per process: asking for the adapter limits while it is held throws', () => {
  assert.throws(() => acquireGpu({ limits: 'adapter' }), /acquired with default limits/);
});

gpuTest('out[i] = a[i] * 2.0 + 1.0 over 1,000 f32: storage buffers, staging readback, equal to JavaScript', async gpu => {
  const a = sampleInput(1000);
  const { out, errors } = await runAxpb(gpu.device, a);
  assert.equal(errors, []);
  assert.is(out.length, 1000);
  // a * 2 is exact, so a fused multiply-add gives the same bits: compare exactly.
  assert.equal(Array.from(out), Array.from(axpbReference(a)));
});

gpuTest('validation errors come back from the error-scope helper, not as exceptions or crashes', async gpu => {
  const nine = await pipelineErrors(gpu.device, storageBuffers(9));
  assert.is(nine.errors.length, 1);
  assert.is(nine.errors[0]!.kind, 'validation');
  assert.match(nine.errors[0]!.message, /number of storage buffers \(9\).*exceeds the maximum per-stage limit \(8\)/);
  const eight = await pipelineErrors(gpu.device, storageBuffers(8));
  assert.equal(eight.errors, []);

  const boolCode = '@group(0) @binding(0) var<storage, read_write> b: array<bool>;\n@compute @workgroup_size(1) fn main() { b[0] = true; }\n';
  const { value: module, errors } = await captureErrors(gpu.device, () => gpu.device.createShaderModule({ code: boolCode }));
  assert.is(errors.length, 1);
  assert.match(errors[0]!.message, /type 'bool' cannot be used in address space 'storage' as it is non-host-shareable/);
  const messages = await compilationMessages(module);
  assert.ok(messages.some(m => /^error 1:\d+ type 'bool' cannot be used in address space 'storage'/.test(m)), messages.join('\n'));

  // The device is still usable after the errors.
  const again = await runAxpb(gpu.device, sampleInput(10));
  assert.equal(Array.from(again.out), Array.from(axpbReference(sampleInput(10))));
});

gpuTest('an error outside any error scope is recorded in gpu.uncaptured (Dawn would print it on stdout)', async gpu => {
  const before = gpu.uncaptured.length;
  gpu.device.createShaderModule({ code: 'fn broken( {' });
  for (let i = 0; i < 100 && gpu.uncaptured.length === before; i++) await new Promise(r => setTimeout(r, 20));
  assert.is(gpu.uncaptured.length, before + 1);
  assert.is(gpu.uncaptured[before]!.kind, 'validation');
  assert.match(gpu.uncaptured[before]!.message, /expected '\)'/);
});

/** Runs a child node process with `body` after the device and kernel modules are imported. */
function child(name: string, body: string, nodeArgs: string[] = []): { code: number | null; stdout: string; stderr: string; ms: number } {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.mjs`);
  const url = (...p: string[]) => JSON.stringify(pathToFileURL(repoPath('dist', ...p)).href);
  writeFileSync(file, `import { acquireGpu, releaseGpu } from ${url('src', 'gpu', 'device.js')};
import { runAxpb, axpbReference, sampleInput } from ${url('tests', 'helpers', 'gpu-kernel.js')};
${body}
`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...nodeArgs, file], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}

const USE_DEVICE = `
const r = await acquireGpu();
if (!r.ok) { console.log('no device'); process.exit(2); }
const a = sampleInput(1000);
const { out } = await runAxpb(r.gpu.device, a);
r.gpu.device.createShaderModule({ code: 'fn broken( {' });   // an uncaptured error: must not reach stdout
await new Promise(res => setTimeout(res, 100));
console.log(out.every((v, i) => v === axpbReference(a)[i]) ? 'equal' : 'different', r.gpu.uncaptured.length);
`;

gpuTest('a child process that used the device exits at once, with or without releaseGpu()', () => {
  for (const [name, tail] of [['released', 'await releaseGpu();'], ['kept', '']] as const) {
    const r = child(name, `${USE_DEVICE}${tail}`);
    assert.is(r.code, 0, `${name}: exit ${r.code}\n${r.stderr}`);
    assert.is(r.stdout, 'equal 1\n', `${name}: stdout holds only the child's own line`);
    assert.ok(r.ms < 10_000, `${name}: exited after ${r.ms.toFixed(0)} ms`);
  }
});

gpuTest('the device survives a garbage collection (the module keeps Dawn\'s GPU object alive)', () => {
  const r = child('gc', `const first = await acquireGpu();\nglobalThis.gc(); await new Promise(res => setTimeout(res, 50)); globalThis.gc();\n${USE_DEVICE}await releaseGpu();`, ['--expose-gc']);
  assert.is(r.code, 0, `exit ${r.code} (139 is a segmentation fault)\n${r.stderr}`);
  assert.is(r.stdout, 'equal 1\n');
});

gpuTest('a device asked for the adapter limits gets them, and then 9 storage buffers validate', gpu => {
  const r = child('adapter-limits', `
import { captureErrors } from ${JSON.stringify(pathToFileURL(repoPath('dist', 'src', 'gpu', 'errors.js')).href)};
const r = await acquireGpu({ limits: 'adapter' });
const d = r.gpu.device;
const code = ${JSON.stringify(storageBuffers(9))};
const { errors } = await captureErrors(d, () => d.createComputePipeline({ layout: 'auto', compute: { module: d.createShaderModule({ code }), entryPoint: 'main' } }));
console.log(JSON.stringify({ policy: r.gpu.policy, same: Object.entries(r.gpu.adapterLimits).every(([k, v]) => r.gpu.limits[k] === v), errors }));
await releaseGpu();`);
  assert.is(r.code, 0, r.stderr);
  const got = JSON.parse(r.stdout) as { policy: string; same: boolean; errors: unknown[] };
  assert.is(got.policy, 'adapter');
  assert.ok(got.same, 'every device limit equals the adapter\'s');
  if (gpu.adapterLimits['maxStorageBuffersPerShaderStage']! >= 9) assert.equal(got.errors, []);
});

// ------------------------------------------------------------------ pure parts: run everywhere

test('a failed import of the package is "not installed"; any other failure is "failed to load"', async () => {
  const missing = await import('webgpu-not-installed-anywhere' as string).catch((e: unknown) => e);
  assert.is(classifyLoadError(missing, 'webgpu-not-installed-anywhere').kind, 'no-package');
  const broken = Object.assign(new Error("Cannot find module '/x/dist/linux-x64/dawn.node'"), { code: 'MODULE_NOT_FOUND' });
  assert.equal(classifyLoadError(broken), { kind: 'load-failed', detail: "Cannot find module '/x/dist/linux-x64/dawn.node'" });
  assert.is(classifyLoadError(new Error('libstdc++.so.6: version `GLIBCXX_3.4.30\' not found')).kind, 'load-failed');
});

test('vulkanFacts: an override variable naming a missing file; manifests in XDG folders; none at all', () => {
  if (process.platform !== 'linux') return;
  const facts = vulkanFacts({ VK_ICD_FILENAMES: '/nonexistent.json' });
  assert.equal(facts.filter(f => f.kind !== 'no-loader'), [{ kind: 'override', variable: 'VK_ICD_FILENAMES', files: ['/nonexistent.json'], missing: ['/nonexistent.json'] }]);
  const data = tempDir('xdg');
  mkdirSync(join(data, 'vulkan', 'icd.d'), { recursive: true });
  writeFileSync(join(data, 'vulkan', 'icd.d', 'lvp_icd.json'), '{}');
  const env = { XDG_DATA_DIRS: data, XDG_CONFIG_DIRS: join(data, 'none'), XDG_DATA_HOME: join(data, 'none') };
  const found = vulkanFacts(env).find(f => f.kind === 'manifests' || f.kind === 'no-manifests');
  if (found?.kind === 'manifests') assert.ok(found.found.some(d => d.dir === join(data, 'vulkan', 'icd.d') && d.files.includes('lvp_icd.json')));
  else assert.unreachable(`expected the manifest in ${data}: ${JSON.stringify(found)}`);
});

test.run();
