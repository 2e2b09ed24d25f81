/**
 * @file Where the CLI's text goes: diagnostics to stderr (rustc-style frames with optional colour,
 * or JSON Lines with `--diagnostics json`), results to stdout, and the exit status a set of
 * diagnostics implies (0 none, 1 errors about the program or its inputs, 3 internal TH9xxx).
 * Renderers are imported lazily so a clean `thc check` never loads them.
 */
import type { Diagnostic } from '../diag/diagnostic.js';
import type { SourceFile } from '../source/source-file.js';

export type DiagnosticsFormat = 'text' | 'json';

/** What every command writes through: the streams plus the global options. */
export interface CliContext {
  readonly diagnostics: DiagnosticsFormat;
  /** ANSI colours in rendered diagnostics. */
  readonly color: boolean;
  /** Whether stderr is a terminal (the progress bar of `thc run` appears only then). */
  readonly errIsTTY?: boolean;
  /** The terminal's width, when stderr is one. */
  readonly errColumns?: number;
  out(text: string): void;
  err(text: string): void;
}

/** The streams the CLI writes to; tests may pass their own. */
export interface CliStreams {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (colours default on only then). */
  readonly errIsTTY: boolean;
  /** The width of the terminal on stderr, when known. */
  readonly errColumns?: number;
}

/** Text diagnostics, coloured when stderr is a terminal and NO_COLOR is unset. */
export function defaultContext(io: CliStreams): CliContext {
  return {
    diagnostics: 'text', color: io.errIsTTY && process.env['NO_COLOR'] === undefined, errIsTTY: io.errIsTTY,
    ...(io.errColumns === undefined ? {} : { errColumns: io.errColumns }), out: io.out, err: io.err,
  };
}

export const EXIT = { ok: 0, diagnostic: 1, usage: 2, internal: 3 } as const;

/** TH9xxx, and TH0699 (an interpreter kernel that failed unexpectedly), are bugs in thc. */
const isInternal = (d: Diagnostic): boolean => d.code.startsWith('TH9') || d.code === 'TH0699';

/** 3 when any internal error was reported, else 1 when any error was, else 0. */
export function exitStatusFor(diags: readonly Diagnostic[]): number {
  if (diags.some(isInternal)) return EXIT.internal;
  return diags.some(d => d.severity === 'error') ? EXIT.diagnostic : EXIT.ok;
}

/**
 * Writes diagnostics to stderr. Text: each rendered with its code frame, separated by blank lines,
 * then a summary line. JSON: one object per line (JSON Lines), nothing else.
 */
export async function printDiagnostics(diags: readonly Diagnostic[], files: ReadonlyMap<string, SourceFile>, cx: CliContext): Promise<void> {
  if (diags.length === 0) return;
  if (cx.diagnostics === 'json') {
    const { diagnosticToJson } = await import('../diag/compact.js');
    for (const d of diags) cx.err(`${JSON.stringify(diagnosticToJson(d))}\n`);
    return;
  }
  const { renderDiagnostic } = await import('../diag/render.js');
  const blocks = diags.map(d => renderDiagnostic(d, files, { color: cx.color }).replace(/\n+$/, ''));
  const errors = diags.filter(d => d.severity === 'error').length;
  const summary = errors ? `\n\nerror: aborting due to ${errors === 1 ? 'the previous error' : `${errors} previous errors`}` : '';
  cx.err(`${blocks.join('\n\n')}${summary}\n`);
}

/** Writes a usage error (exit status 2) as one line on stderr. */
export function printUsageError(message: string, cx: CliContext, command?: string): void {
  const hint = command ? `thc ${command} --help` : 'thc --help';
  cx.err(`error: ${message.replace(/^error:\s*/, '').trim()} (see '${hint}')\n`);
}

/** JSON with Python's default separators (`, ` and `: `), the layout LANGUAGE.md shows. */
export function toJsonText(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${toJsonText(x)}`).join(', ')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
