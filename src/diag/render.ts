/**
 * @file STUB (owned by the diagnostics work): rustc-style rendering with a code frame.
 */
import type { Diagnostic } from './diagnostic.js';
import type { SourceFile } from '../source/source-file.js';

export interface RenderOptions {
  /** Use ANSI colours (chalk). */
  readonly color: boolean;
}

/** Renders one diagnostic; `files` maps SourceFile.name to the file for code frames. */
export function renderDiagnostic(d: Diagnostic, files: ReadonlyMap<string, SourceFile>, opts: RenderOptions): string {
  void files; void opts;
  return `error[${d.code}]: ${d.message}`;
}
