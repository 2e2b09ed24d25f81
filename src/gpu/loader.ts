/**
 * @file How thc imports a package at run time that is not bundled (only `webgpu`, whose
 * dawn.node must be found next to its own index.js). Normally a plain dynamic import; bin/thc.js
 * runs the CLI bundle through vm.Script, where import() is unavailable (Node rejects it without
 * an experimental loader option, and with a V8 code cache even then), so it hands in its own.
 */
export type Importer = (specifier: string) => Promise<unknown>;

let importer: Importer = specifier => import(specifier);

/** Replaces the importer; bin/thc.js passes `s => import(s)` from its own ES module. */
export function setImporter(f: Importer): void {
  importer = f;
}

/** Imports a package by name, through the current importer. */
export function importPackage(specifier: string): Promise<unknown> {
  return importer(specifier);
}
