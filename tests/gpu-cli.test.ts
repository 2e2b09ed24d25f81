/**
 * @file The GPU side of the command line: `thc gpu-info` (text and JSON, compared with the device
 * this process acquires itself), `thc run --device gpu` on an f64 program (TH0520 at the
 * declaration, when an adapter exists; tests/wgsl-cli.test.ts runs f32 programs), and the no-adapter diagnostic TH0503 forced in the child with
 * `VK_ICD_FILENAMES=/nonexistent.json` (the Vulkan loader then finds no driver), asserted as the
 * exact rustc-style text. Dawn and the Vulkan loader print their own `Warning:` lines on stderr
 * before thc's diagnostics; `thcPart` cuts them off and checks that nothing else came first.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { KEY_LIMITS } from '../src/cli/commands/gpu-info.js';
import { vulkanFacts } from '../src/gpu/vulkan.js';
import { hasStackTrace, thc } from './helpers/cli.js';
import { withGpu } from './helpers/gpu.js';
import { repoPath } from './helpers/paths.js';

const gpuTest = await withGpu(test);

const NO_DRIVER = { VK_ICD_FILENAMES: '/nonexistent.json' };
const RUN_GPU = ['run', 'samples/add.th', 'x=[[1]]', 'y=[[2]]', '--device', 'gpu'];
const version = (JSON.parse(readFileSync(repoPath('node_modules', 'webgpu', 'package.json'), 'utf8')) as { version: string }).version;

/** Dawn's own log lines: `Warning: ...`, a `    at Function (file.cpp:106)` location, blank lines. */
const DAWN_LOG = /^(Warning: .*|\s+at \S+ \(.*:\d+\)|)$/;

/** stderr from thc's first diagnostic on, after checking that only Dawn's log came before it. */
function thcPart(stderr: string): string {
  const at = stderr.search(/^(error|warning)\[TH\d{4}\]|^\{/m);
  assert.ok(at >= 0, `no diagnostic in:\n${stderr}`);
  for (const line of stderr.slice(0, at).split('\n')) assert.match(line, DAWN_LOG, `not a Dawn log line: ${line}`);
  return stderr.slice(at);
}

/** The exact TH0503 text for the forced "no driver" case (on a machine with the Vulkan loader). */
const noAdapterText = (): string => [
  'error[TH0503]: no GPU adapter found',
  `   = note: tried: \`requestAdapter()\` of Dawn (the \`webgpu\` package ${version}) on its Vulkan backend, which returned no adapter`,
  '   = note: `VK_ICD_FILENAMES` is `/nonexistent.json`, so the Vulkan loader reads only that, and `/nonexistent.json` does not exist',
  'help: install a Vulkan driver: on Debian 12, `apt-get install -t bookworm-backports mesa-vulkan-drivers libvulkan1` gives lavapipe, a Vulkan device that runs on the CPU; or run on the CPU with `thc run --device cpu`',
  '',
  'error: aborting due to the previous error',
  '',
].join('\n');

const linux = process.platform === 'linux';

test('no adapter (VK_ICD_FILENAMES=/nonexistent.json): gpu-info reports TH0503 with what was tried, exit 1', () => {
  if (!linux) return;
  const r = thc(['gpu-info'], { env: NO_DRIVER });
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stdout, '');
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  const text = thcPart(r.stderr);
  // Without libvulkan.so.1 a note says so; the CI machine has it (.ci/run installs libvulkan1).
  if (vulkanFacts(NO_DRIVER).some(f => f.kind === 'no-loader')) assert.match(text, /^error\[TH0503\]: no GPU adapter found\n/);
  else assert.fixture(text, noAdapterText());
});

test('no adapter: `thc run --device gpu` reports TH0503 (not TH0520), nothing on stdout', () => {
  if (!linux) return;
  const r = thc(RUN_GPU, { env: NO_DRIVER });
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stdout, '');
  const text = thcPart(r.stderr);
  assert.match(text, /^error\[TH0503\]: no GPU adapter found\n/);
  assert.not.match(text, /TH0520/);
  assert.match(text, /--device cpu/);
});

test('no adapter with --diagnostics json: one TH0503 object after Dawn\'s log lines', () => {
  if (!linux) return;
  const r = thc(['--diagnostics', 'json', 'gpu-info'], { env: NO_DRIVER });
  assert.is(r.code, 1);
  const lines = thcPart(r.stderr).trimEnd().split('\n');
  assert.is(lines.length, 1);
  const d = JSON.parse(lines[0]!) as { code: string; notes: string[]; help: { message: string }[] };
  assert.is(d.code, 'TH0503');
  assert.match(d.notes[0]!, /^tried: `requestAdapter\(\)` of Dawn/);
  assert.match(d.help[0]!.message, /mesa-vulkan-drivers/);
});

gpuTest('gpu-info prints the adapter, its features and the key limits of a default device and of the adapter', gpu => {
  const r = thc(['gpu-info']);
  assert.is(r.code, 0, r.stderr);
  assert.ok(r.stdout.startsWith(`adapter       ${gpu.info.description}\n`), r.stdout);
  assert.match(r.stdout, new RegExp(`^vendor +${gpu.info.vendor}$`, 'm'));
  assert.match(r.stdout, new RegExp(`^architecture +${gpu.info.architecture}$`, 'm'));
  for (const f of gpu.adapterFeatures) assert.ok(new RegExp(`(^features +| )${f}( |$)`, 'm').test(r.stdout), `feature ${f}`);
  for (const name of KEY_LIMITS) {
    const row = r.stdout.split('\n').find(l => l.startsWith(`${name} `));
    assert.ok(row, `no row for ${name}`);
    const [, dev, , ada] = /^\S+\s+(\d+)( \([^)]*\))?\s+(\d+)/.exec(row!) ?? [];
    assert.equal([Number(dev), Number(ada)], [gpu.limits[name], gpu.adapterLimits[name]], row);
  }
  assert.match(r.stdout, /^maxStorageBufferBindingSize +134217728 \(128 MiB\) /m);
});

gpuTest('gpu-info --format json holds every limit of the default device and of the adapter', gpu => {
  const r = thc(['gpu-info', '--format', 'json']);
  assert.is(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { adapter: unknown; webgpu: string; features: { adapter: string[]; device: string[] }; limits: { device: unknown; adapter: unknown } };
  assert.equal(j.adapter, gpu.info);
  assert.is(j.webgpu, version);
  assert.equal(j.features, { adapter: gpu.adapterFeatures, device: gpu.features });
  assert.equal(j.limits, { device: gpu.limits, adapter: gpu.adapterLimits });
});

gpuTest('with an adapter `thc run --device gpu` on an f64 program reports TH0520 at the declaration, exit 1', () => {
  const r = thc(RUN_GPU);
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  assert.fixture(thcPart(r.stderr), [
    'error[TH0520]: `f64` values cannot run on the GPU',
    '  --> samples/add.th:3:8',
    '   |',
    ' 3 | fn add(x: f64[n, m], y: f64[n, m]) = x + y',
    '   |        ^^^^^^^^^^^^ `f64` declared here',
    '   |',
    '   = note: the WGSL backend computes in f32, i32, u32 and bool, and in f16 on a device with the `shader-f16` feature: WGSL has no 64-bit floats',
    'help: declare the value as `f32`, or run on the CPU with `--device cpu`',
    '',
    'error: aborting due to the previous error',
    '',
  ].join('\n'));
});

test('gpu-info --help describes the command; --format is checked', () => {
  const h = thc(['gpu-info', '--help']);
  assert.is(h.code, 0);
  assert.match(h.stdout, /Usage: thc gpu-info \[options\]/);
  assert.match(h.stdout, /TH0503/);
  const bad = thc(['gpu-info', '--format', 'yaml']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /'yaml' is invalid/);
});

test.run();
