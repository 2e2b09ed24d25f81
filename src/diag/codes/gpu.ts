/**
 * @file Diagnostic wording for the GPU device (TH0503-TH0509, inside the TH05xx targets range; TH0510-TH0519 are the scheduler's):
 * why no WebGPU device could be had (src/gpu/device.ts reasons), reported by `thc run --device gpu`
 * and `thc gpu-info`. `gpuNotes` words the facts about the Vulkan set-up (src/gpu/vulkan.ts) that
 * TH0503 adds as notes, so all wording still lives in this folder.
 */
import type { Catalog } from '../codes.js';

/** One fix for every "no device" code: it fits both `thc run --device gpu` and `thc gpu-info`. */
const INSTALL_HELP = 'install a Vulkan driver: on Debian 12, `apt-get install -t bookworm-backports mesa-vulkan-drivers libvulkan1` gives lavapipe, a Vulkan device that runs on the CPU; or run on the CPU with `thc run --device cpu`';

export const gpuCodes: Catalog = {
  TH0503: {
    title: 'no GPU adapter',
    message: 'no GPU adapter found',
    note: 'tried: `requestAdapter()` of Dawn (the `webgpu` package {version}) on its {backends} backend, which returned no adapter',
    help: INSTALL_HELP,
    explain: 'thc reaches the GPU through WebGPU as implemented by Dawn, Chrome\'s WebGPU library, in the `webgpu` npm package. On Linux Dawn drives the GPU through Vulkan, so it needs the Vulkan loader (`libvulkan1`) and a Vulkan driver. A machine without a GPU can use Mesa\'s lavapipe, a Vulkan driver that runs on the CPU: Debian 12 ships it in `mesa-vulkan-drivers`, but Dawn rejects plain bookworm\'s Mesa 22, so install version 25 from bookworm-backports. The notes list the Vulkan driver manifests the loader would read. Lines starting `Warning:` just before the diagnostic come from Dawn and the Vulkan loader themselves. See docs/gpu.md.',
  },
  TH0504: {
    title: 'webgpu package missing',
    message: 'the `webgpu` package is not installed',
    note: 'thc reaches the GPU through the `webgpu` npm package (Dawn\'s bindings for Node); the import failed: {detail}',
    help: 'install thc\'s dependencies with `npm install` (or `npm ci`) in its folder, or run on the CPU with `thc run --device cpu`',
  },
  TH0505: {
    title: 'webgpu package failed to load',
    message: 'the `webgpu` package is installed but failed to load: {detail}',
    note: 'its prebuilt `dawn.node` binary exists for Linux x64 and arm64, macOS and Windows on Node 20 or newer',
    help: 'reinstall it with `npm ci`, or run on the CPU with `thc run --device cpu`',
  },
  TH0506: {
    title: 'GPU device refused',
    message: 'the GPU adapter `{adapter}` did not create a device: {detail}',
    help: 'run on the CPU with `thc run --device cpu`',
  },
};

/** Notes added to TH0503, one per fact about the Vulkan set-up (src/gpu/vulkan.ts). */
export const gpuNotes = {
  noLoader: 'the Vulkan loader `libvulkan.so.1` is not in {dirs}',
  override: '`{variable}` is `{files}`, so the Vulkan loader reads only that',
  overrideMissing: '`{variable}` is `{files}`, so the Vulkan loader reads only that, and {missing} does not exist',
  manifests: 'the Vulkan driver manifests found ({found}) gave Dawn no usable adapter',
  noManifests: 'no Vulkan driver manifest (ICD `.json` file) is installed in {dirs}',
} as const;
