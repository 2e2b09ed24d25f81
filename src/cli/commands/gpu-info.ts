/**
 * @file `thc gpu-info [--format text|json]`: acquires the WebGPU device the way a GPU run will
 * (src/gpu/device.ts, spec-default limits) and prints the adapter's description, vendor and
 * architecture, its features, and the limits a code generator must respect, both what a default
 * device gets and what the adapter could give. No adapter: the TH0503-TH0506 diagnostic, exit 1.
 * The output depends only on the machine (no timings), so tests can compare it.
 */
import type { CliContext } from '../output.js';
import type { Gpu } from '../../gpu/device.js';
import { createSink } from '../../diag/sink.js';
import { exitStatusFor, printDiagnostics, toJsonText } from '../output.js';

export type GpuInfoFormat = 'text' | 'json';

/** The limits `gpu-info` shows in text: those the WGSL backend plans kernels and buffers with. */
export const KEY_LIMITS = [
  'maxStorageBuffersPerShaderStage',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeWorkgroupStorageSize',
] as const;

export async function gpuInfoCommand(cx: CliContext, o: { format: GpuInfoFormat }): Promise<number> {
  const { acquireGpu, releaseGpu } = await import('../../gpu/device.js');
  try {
    const r = await acquireGpu();
    if (!r.ok) {
      const sink = createSink();
      (await import('../gpu-report.js')).reportNoGpu(sink, r.reason);
      await printDiagnostics(sink.diagnostics, new Map(), cx);
      return exitStatusFor(sink.diagnostics);
    }
    cx.out(o.format === 'json' ? `${toJsonText(infoJson(r.gpu))}\n` : infoText(r.gpu));
    return 0;
  } finally {
    await releaseGpu();
  }
}

/** 134217728 -> `134217728 (128 MiB)`; sizes that are not whole KiB/MiB/GiB stay plain. */
function size(name: string, v: number): string {
  if (!/Size$/.test(name) || name.startsWith('maxComputeWorkgroupSize')) return String(v);
  for (const [unit, bytes] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (v >= bytes && v % bytes === 0) return `${v} (${v / bytes} ${unit})`;
  }
  return String(v);
}

/** Words separated by spaces, wrapped at `width` columns, continuation lines indented. */
function wrap(words: readonly string[], indent: number, width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && indent + line.length + 1 + w.length > width) { lines.push(line); line = w; } else line = line ? `${line} ${w}` : w;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

function infoText(g: Gpu): string {
  const i = g.info;
  const rows: [string, string][] = [
    ['adapter', i.description || '(no description)'],
    ['vendor', i.vendor || '(unknown)'],
    ['architecture', i.architecture || '(unknown)'],
    ['device', i.device || '(unknown)'],
    ['fallback', i.isFallbackAdapter ? 'yes (a software or limited adapter)' : 'no'],
    ...(i.subgroupMinSize === undefined ? [] : [['subgroups', `${i.subgroupMinSize} to ${i.subgroupMaxSize} invocations`] as [string, string]]),
    ['webgpu', `${g.packageVersion} (Dawn)`],
    ['features', wrap(g.adapterFeatures, 14)],
  ];
  const head = rows.map(([k, v]) => `${k.padEnd(14)}${v}\n`).join('');
  const table = [['limit', 'default device', 'adapter'], ...KEY_LIMITS.map(n => [n, size(n, g.limits[n] ?? NaN), size(n, g.adapterLimits[n] ?? NaN)])];
  const w0 = Math.max(...table.map(r => r[0]!.length)) + 2, w1 = Math.max(...table.map(r => r[1]!.length)) + 2;
  const body = table.map(([a, b, c]) => `${a!.padEnd(w0)}${b!.padEnd(w1)}${c}`.trimEnd() + '\n').join('');
  return `${head}\n${body}`;
}

function infoJson(g: Gpu): unknown {
  return {
    adapter: g.info,
    webgpu: g.packageVersion,
    features: { adapter: g.adapterFeatures, device: g.features },
    limits: { device: g.limits, adapter: g.adapterLimits },
  };
}
