/**
 * @file What the Vulkan loader can see, for the "no GPU adapter" diagnostic (TH0503): on Linux
 * Dawn reaches the GPU only through Vulkan, so an adapter is missing because the loader
 * (libvulkan.so.1) is absent, because no driver manifest (ICD `*.json`) is installed or named, or
 * because the drivers found are rejected (plain bookworm's Mesa 22 lavapipe is too old for Dawn).
 * Reads the file system and the environment only; returns facts as data (worded in codes/run.ts).
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Environment variables that replace the loader's search for driver manifests. */
const OVERRIDES = ['VK_DRIVER_FILES', 'VK_ICD_FILENAMES'] as const;

/** The loader's default manifest folders (Vulkan-Loader docs/LoaderDriverInterface.md, Linux). */
function manifestDirs(env: NodeJS.ProcessEnv): string[] {
  const config = (env['XDG_CONFIG_DIRS'] || '/etc/xdg').split(':').map(d => join(d, 'vulkan', 'icd.d'));
  const data = (env['XDG_DATA_DIRS'] || '/usr/local/share:/usr/share').split(':').map(d => join(d, 'vulkan', 'icd.d'));
  const home = join(env['XDG_DATA_HOME'] || join(homedir(), '.local', 'share'), 'vulkan', 'icd.d');
  return [...new Set([...config, '/etc/vulkan/icd.d', ...data, home])];
}

/** Folders where a distribution puts libvulkan.so.1. */
function loaderDirs(): string[] {
  const triple = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
  return [`/usr/lib/${triple}`, `/lib/${triple}`, '/usr/lib64', '/usr/lib', '/usr/local/lib'];
}

const listJson = (dir: string): string[] => {
  try { return readdirSync(dir).filter(f => f.endsWith('.json')).sort(); } catch { return []; }
};

/** One fact about the Vulkan set-up; codes/run.ts words each as a note of TH0503. */
export type VulkanFact =
  | { readonly kind: 'no-loader'; readonly dirs: readonly string[] }
  | { readonly kind: 'override'; readonly variable: string; readonly files: readonly string[]; readonly missing: readonly string[] }
  | { readonly kind: 'manifests'; readonly found: readonly { dir: string; files: readonly string[] }[] }
  | { readonly kind: 'no-manifests'; readonly dirs: readonly string[] };

/**
 * What the Vulkan loader would see: whether libvulkan.so.1 exists, and which driver manifests it
 * reads (those an override variable names, else those in its default folders). Empty off Linux.
 */
export function vulkanFacts(env: NodeJS.ProcessEnv = process.env): VulkanFact[] {
  if (process.platform !== 'linux') return [];
  const facts: VulkanFact[] = [];
  if (!loaderDirs().some(d => existsSync(join(d, 'libvulkan.so.1')))) facts.push({ kind: 'no-loader', dirs: loaderDirs() });
  const variable = OVERRIDES.find(v => env[v]);
  if (variable) {
    const files = env[variable]!.split(':').filter(f => f !== '');
    facts.push({ kind: 'override', variable, files, missing: files.filter(f => !existsSync(f)) });
    return facts;
  }
  const dirs = manifestDirs(env);
  const found = dirs.map(dir => ({ dir, files: listJson(dir) })).filter(d => d.files.length > 0);
  facts.push(found.length ? { kind: 'manifests', found } : { kind: 'no-manifests', dirs });
  return facts;
}
