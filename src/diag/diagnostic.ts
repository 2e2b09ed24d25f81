/**
 * @file The Diagnostic record every phase produces.
 * Wording comes from the catalog (codes.ts) through `makeDiagnostic`; phases only supply the code,
 * the template arguments and the spans. Rendering lives in render.ts / compact.ts.
 */
import type { Span } from '../source/span.js';
import { codeInfo, fillTemplate } from './codes.js';

export type Severity = 'error' | 'warning';

export interface Label {
  readonly span: Span;
  readonly message: string;
}

export interface Help {
  readonly message: string;
  /** A machine-applicable fix for a future `--fix`. */
  readonly replacement?: { readonly span: Span; readonly text: string };
}

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Null only for diagnostics with no source position (e.g. a missing file named on the command line). */
  readonly primary: Label | null;
  readonly secondary: readonly Label[];
  readonly notes: readonly string[];
  readonly help: readonly Help[];
}

export type DiagArgs = Readonly<Record<string, string | number>>;

export interface DiagExtras {
  /** Overrides the catalog's label template for the primary span. */
  label?: string;
  secondary?: Label[];
  notes?: string[];
  help?: Help[];
  severity?: Severity;
}

/**
 * Builds a diagnostic from the catalog entry `code`: message from `template`, primary label from
 * `label`, plus the catalog's `note`/`help` templates when present (all filled from `args`).
 */
export function makeDiagnostic(code: string, args: DiagArgs, span: Span | null, extras: DiagExtras = {}): Diagnostic {
  const info = codeInfo(code);
  const fill = (t: string | undefined) => (t === undefined ? undefined : fillTemplate(t, args));
  const label = extras.label ?? fill(info.label) ?? '';
  const notes = [...(info.note ? [fill(info.note)!] : []), ...(extras.notes ?? [])];
  const help = [...(extras.help ?? []), ...(info.help ? [{ message: fill(info.help)! }] : [])];
  return {
    code,
    severity: extras.severity ?? 'error',
    message: fillTemplate(info.message, args),
    primary: span ? { span, message: label } : null,
    secondary: extras.secondary ?? [],
    notes,
    help,
  };
}
