/**
 * @file STUB (owned by the diagnostics work): the one-line form `file:line:col: error[TH0301]: msg`
 * used by tests, and the JSON form used by `--diagnostics json`.
 */
import type { Diagnostic } from './diagnostic.js';

export function compactDiagnostic(d: Diagnostic): string {
  const p = d.primary?.span;
  return `${p ? `${p.file}:${p.line}:${p.col}: ` : ''}${d.severity}[${d.code}]: ${d.message}`;
}

export function diagnosticToJson(d: Diagnostic): unknown {
  return d;
}
