/**
 * @file Turns "no GPU device" (a GpuUnavailable from src/gpu/device.ts) into its diagnostic:
 * TH0503 no adapter (with one note per fact about the Vulkan set-up), TH0504 the `webgpu` package
 * is missing, TH0505 it failed to load, TH0506 the adapter refused a device. Shared by
 * `thc run --device gpu` and `thc gpu-info`; wording comes from diag/codes/gpu.ts.
 */
import type { DiagnosticSink } from '../diag/sink.js';
import type { GpuUnavailable } from '../gpu/device.js';
import { fillTemplate } from '../diag/codes.js';
import { gpuNotes } from '../diag/codes/gpu.js';
import { type VulkanFact, vulkanFacts } from '../gpu/vulkan.js';

/** The backends Dawn tries on each platform (Dawn's defaults without compatibility mode). */
function dawnBackends(): string {
  if (process.platform === 'darwin') return 'Metal';
  if (process.platform === 'win32') return 'D3D12 and Vulkan';
  return 'Vulkan';
}

const list = (xs: readonly string[]): string => xs.map(x => `\`${x}\``).join(', ');

function factNote(f: VulkanFact): string {
  switch (f.kind) {
    case 'no-loader': return fillTemplate(gpuNotes.noLoader, { dirs: list(f.dirs) });
    case 'override': return f.missing.length
      ? fillTemplate(gpuNotes.overrideMissing, { variable: f.variable, files: f.files.join(':'), missing: list(f.missing) })
      : fillTemplate(gpuNotes.override, { variable: f.variable, files: f.files.join(':') });
    case 'manifests': return fillTemplate(gpuNotes.manifests, { found: f.found.map(d => `${list(d.files)} in \`${d.dir}\``).join('; ') });
    case 'no-manifests': return fillTemplate(gpuNotes.noManifests, { dirs: list(f.dirs) });
  }
}

/** Reports why there is no GPU device; always an error (exit status 1). */
export function reportNoGpu(sink: DiagnosticSink, reason: GpuUnavailable): void {
  switch (reason.kind) {
    case 'no-adapter':
      sink.error('TH0503', { version: reason.packageVersion, backends: dawnBackends() }, null, { notes: vulkanFacts().map(factNote) });
      return;
    case 'no-package': sink.error('TH0504', { detail: reason.detail }, null); return;
    case 'load-failed': sink.error('TH0505', { detail: reason.detail }, null); return;
    case 'no-device': sink.error('TH0506', { adapter: reason.adapter, detail: reason.detail }, null); return;
  }
}
