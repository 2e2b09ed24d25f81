/**
 * @file Machine-friendly diagnostic forms (esbuild's compact style).
 * Consumes Diagnostic records; produces the one-line form `file:line:col: error[TH0301]: msg`
 * used by tests and logs, and the JSON object printed by `--diagnostics json` (schema below,
 * documented in docs/diagnostics.md; fields are only ever added, never renamed).
 */
import type { Diagnostic, Label } from './diagnostic.js';
import type { Span } from '../source/span.js';

/** `file:line:col: error[TH0301]: message`; without a primary span, just `error[TH0301]: message`. */
export function compactDiagnostic(d: Diagnostic): string {
  const p = d.primary?.span;
  return `${p ? `${p.file}:${p.line}:${p.col}: ` : ''}${d.severity}[${d.code}]: ${d.message}`;
}

/** Just `CODE line:col` (the form error fixtures write in `# expect:` lines). */
export function codeAndPosition(d: Diagnostic): string {
  const p = d.primary?.span;
  return p ? `${d.code} ${p.line}:${p.col}` : d.code;
}

/** A source range in JSON: 1-based lines and columns, `endCol` exclusive. */
export interface JsonRange {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
}

export interface JsonLabel extends JsonRange {
  readonly message: string;
  /** True for the primary label (always first in `labels`). */
  readonly primary: boolean;
}

export interface JsonHelp {
  readonly message: string;
  /** A machine-applicable edit: replace the range with `text`. */
  readonly replacement?: JsonRange & { readonly text: string };
}

/** The `--diagnostics json` schema. Position fields are null when there is no primary span. */
export interface JsonDiagnostic {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly col: number | null;
  readonly endLine: number | null;
  readonly endCol: number | null;
  readonly labels: readonly JsonLabel[];
  readonly notes: readonly string[];
  readonly help: readonly JsonHelp[];
}

const range = (s: Span): JsonRange => ({ file: s.file, line: s.line, col: s.col, endLine: s.endLine, endCol: s.endCol });
const label = (l: Label, primary: boolean): JsonLabel => ({ ...range(l.span), message: l.message, primary });

export function diagnosticToJson(d: Diagnostic): JsonDiagnostic {
  const p = d.primary?.span;
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: p?.file ?? null,
    line: p?.line ?? null,
    col: p?.col ?? null,
    endLine: p?.endLine ?? null,
    endCol: p?.endCol ?? null,
    labels: [...(d.primary ? [label(d.primary, true)] : []), ...d.secondary.map(l => label(l, false))],
    notes: [...d.notes],
    help: d.help.map(h => (h.replacement
      ? { message: h.message, replacement: { ...range(h.replacement.span), text: h.replacement.text } }
      : { message: h.message })),
  };
}

/** The `--diagnostics json` stream: JSON Lines, one diagnostic object per line. */
export function diagnosticsToJsonLines(ds: readonly Diagnostic[]): string {
  return ds.map(d => `${JSON.stringify(diagnosticToJson(d))}\n`).join('');
}
