/**
 * @file rustc-style diagnostic rendering: header, `-->` location, a code frame with `^^^` under the
 * primary span and `---` under secondary spans, `= note:` facts and `help:` fixes.
 * Consumes Diagnostic records plus the SourceFiles they point into; produces plain text, with ANSI
 * colours (chalk) only when asked. Output is deterministic and has no trailing whitespace.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Diagnostic, Help, Label } from './diagnostic.js';
import type { SourceFile } from '../source/source-file.js';
import type { Span } from '../source/span.js';

export interface RenderOptions {
  /** Use ANSI colours (chalk). */
  readonly color: boolean;
}

/** Tabs are shown as this many spaces, so carets line up whatever the terminal's tab stops are. */
const TAB = '    ';

interface Style {
  readonly gutter: (s: string) => string;
  readonly primary: (s: string) => string;
  readonly secondary: (s: string) => string;
  readonly header: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly help: (s: string) => string;
}

function styleFor(severity: Diagnostic['severity'], opts: RenderOptions): Style {
  const c: ChalkInstance = new Chalk({ level: opts.color ? 1 : 0 });
  const main = severity === 'error' ? c.red.bold : c.yellow.bold;
  return { gutter: c.blue.bold, primary: main, secondary: c.blue.bold, header: main, bold: c.bold, help: c.cyan.bold };
}

/** One label placed on a source line, in display columns (0-based, tabs expanded). */
interface Mark {
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly primary: boolean;
}

/** Display column (0-based) of a 1-based UTF-16 column on a line, with tabs expanded. */
function displayCol(text: string, col: number): number {
  const before = text.slice(0, Math.max(0, col - 1));
  let w = 0;
  for (const ch of before) w += ch === '\t' ? TAB.length : 1;
  // Columns past the end of the line (a span ending at the newline) still count one each.
  return w + Math.max(0, col - 1 - before.length);
}

const expandTabs = (text: string): string => text.replace(/\t/g, TAB);

/** Places a label on its first line; a multi-line span is underlined to the end of that line. */
function markOf(label: Label, file: SourceFile, primary: boolean): Mark {
  const s = label.span;
  const text = file.lineText(s.line);
  const start = displayCol(text, s.col);
  // A span that stops right after a newline really ends on its first line.
  const multi = s.endLine > s.line && !(s.endLine === s.line + 1 && s.endCol === 1);
  const endCol = s.endLine > s.line ? text.length + 1 : s.endCol;
  const end = Math.max(start + 1, displayCol(text, endCol));
  const until = multi ? `(ends on line ${s.endLine})` : '';
  const message = [label.message, until].filter(x => x !== '').join(' ');
  return { start, end, message, primary };
}

/** The annotation rows under one source line: markers, then rustc's `|` connectors for extra messages. */
function markRows(marks: readonly Mark[], st: Style): string[] {
  const width = Math.max(...marks.map(m => m.end));
  const chars = new Array<string>(width).fill(' ');
  const kinds = new Array<'p' | 's' | ' '>(width).fill(' ');
  // Secondary first so the primary's carets win where spans overlap.
  for (const m of [...marks].sort((a, b) => Number(a.primary) - Number(b.primary))) {
    for (let i = m.start; i < m.end; i++) { chars[i] = m.primary ? '^' : '-'; kinds[i] = m.primary ? 'p' : 's'; }
  }
  let row = '';
  for (let i = 0; i < width;) {
    let j = i;
    while (j < width && kinds[j] === kinds[i]) j++;
    const run = chars.slice(i, j).join('');
    row += kinds[i] === 'p' ? st.primary(run) : kinds[i] === 's' ? st.secondary(run) : run;
    i = j;
  }
  const paint = (m: Mark) => (m.primary ? st.primary : st.secondary);
  const withText = marks.filter(m => m.message !== '').sort((a, b) => a.start - b.start || Number(b.primary) - Number(a.primary));
  const last = withText.pop();
  const rows = [last ? `${row.trimEnd()} ${paint(last)(last.message)}` : row.trimEnd()];
  if (withText.length === 0) return rows;
  // Earlier messages hang below on `|` stems, the rightmost first (rustc's layout).
  const line = (upto: number, tail?: Mark): string => {
    let out = '', at = 0;
    // Marks that start in the same column share one stem (never a negative pad).
    for (const m of withText.slice(0, upto)) {
      if (m.start < at) continue;
      out += ' '.repeat(m.start - at) + paint(m)('|');
      at = m.start + 1;
    }
    if (tail) out += (tail.start >= at ? ' '.repeat(tail.start - at) : ' ') + paint(tail)(tail.message);
    return out;
  };
  rows.push(line(withText.length));
  for (let i = withText.length - 1; i >= 0; i--) rows.push(line(i, withText[i]!));
  return rows;
}

/** Layout shared by every section of one diagnostic. */
interface Frame {
  readonly w: number;
  readonly st: Style;
}

const gutterBlank = (f: Frame) => f.st.gutter(`${' '.repeat(f.w + 2)}|`);
const gutterLine = (f: Frame, n: number) => f.st.gutter(` ${String(n).padStart(f.w)} |`);
const withAnnotation = (f: Frame, rest: string) => (rest === '' ? gutterBlank(f) : `${gutterBlank(f)} ${rest}`);

/** The code frame of one file: every labelled line in order, small gaps filled, large gaps `...`. */
function fileFrame(file: SourceFile, labels: readonly { label: Label; primary: boolean }[], f: Frame): string[] {
  const byLine = new Map<number, Mark[]>();
  for (const { label, primary } of labels) {
    const list = byLine.get(label.span.line) ?? [];
    list.push(markOf(label, file, primary));
    byLine.set(label.span.line, list);
  }
  const out: string[] = [];
  const source = (n: number) => {
    const text = expandTabs(file.lineText(n)).trimEnd();
    out.push(text === '' ? gutterLine(f, n) : `${gutterLine(f, n)} ${text}`);
  };
  let prev = 0;
  for (const n of [...byLine.keys()].sort((a, b) => a - b)) {
    if (prev > 0 && n - prev === 2) source(n - 1);
    else if (prev > 0 && n - prev > 2) out.push(f.st.gutter('...'));
    source(n);
    for (const r of markRows(byLine.get(n)!, f.st)) out.push(withAnnotation(f, r));
    prev = n;
  }
  return out;
}

const posOf = (s: Span) => `${s.file}:${s.line}:${s.col}`;

/** A help with a single-line replacement in a known file shows the edited line with `~` under the new text. */
function helpFrame(h: Help, files: ReadonlyMap<string, SourceFile>, f: Frame): string[] {
  const r = h.replacement;
  const file = r && files.get(r.span.file);
  if (!r || !file || r.span.endLine !== r.span.line) return [];
  const text = file.lineText(r.span.line);
  const edited = text.slice(0, r.span.col - 1) + r.text + text.slice(r.span.endCol - 1);
  const start = displayCol(edited, r.span.col);
  const marks = r.text === '' ? '' : ' '.repeat(start) + f.st.help('~'.repeat(expandTabs(r.text).length));
  return [gutterBlank(f), `${gutterLine(f, r.span.line)} ${expandTabs(edited).trimEnd()}`, withAnnotation(f, marks)];
}

/** Multi-line notes (stack traces) keep their later lines aligned under the first. */
const indentLines = (text: string, pad: number) => text.split('\n').join('\n' + ' '.repeat(pad));

/** Renders one diagnostic; `files` maps SourceFile.name to the file for code frames. */
export function renderDiagnostic(d: Diagnostic, files: ReadonlyMap<string, SourceFile>, opts: RenderOptions): string {
  const st = styleFor(d.severity, opts);
  const out = [`${st.header(`${d.severity}[${d.code}]`)}${st.bold(`: ${d.message}`)}`];
  const labels = [
    ...(d.primary ? [{ label: d.primary, primary: true }] : []),
    ...d.secondary.map(label => ({ label, primary: false })),
  ];
  const helpLines = d.help.map(h => h.replacement?.span.line ?? 0);
  const maxLine = Math.max(1, ...labels.map(l => l.label.span.line), ...helpLines);
  const f: Frame = { w: String(maxLine).length, st };
  let framed = false;
  if (d.primary) {
    // Files in order of first mention, the primary's file first.
    const order = [...new Set(labels.map(l => l.label.span.file))];
    for (const name of order) {
      const inFile = labels.filter(l => l.label.span.file === name);
      const file = files.get(name);
      const first = inFile[0]!.label;
      const arrow = name === d.primary.span.file ? '-->' : ':::';
      if (!file) {
        // No text to show (a synthetic span or a file we never read): the position is all we have.
        for (const l of inFile) {
          const msg = l.label.message === '' ? '' : `: ${l.label.message}`;
          out.push(`${st.gutter(`${' '.repeat(f.w + 1)}${l === inFile[0] ? arrow : ':::'}`)} ${posOf(l.label.span)}${msg}`);
        }
        continue;
      }
      out.push(`${st.gutter(`${' '.repeat(f.w + 1)}${arrow}`)} ${posOf(first.span)}`, gutterBlank(f));
      out.push(...fileFrame(file, inFile, f));
      framed = true;
    }
  }
  if (framed && (d.notes.length > 0 || d.help.length > 0)) out.push(gutterBlank(f));
  const notePad = f.w + 2;
  for (const n of d.notes) out.push(`${' '.repeat(notePad)}${st.gutter('=')} ${st.bold('note')}: ${indentLines(n, notePad + 8)}`);
  for (const h of d.help) {
    out.push(`${st.help('help')}: ${indentLines(h.message, 6)}`);
    out.push(...helpFrame(h, files, f));
  }
  return out.join('\n');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The closing line after a batch of diagnostics (the CLI's wording): `error: aborting due to the
 * previous error` / `error: aborting due to 2 previous errors`
 * (with `; 1 warning emitted` when there were warnings too), `warning: 1 warning emitted`, or ''.
 */
export function renderSummary(diags: readonly Diagnostic[], opts: RenderOptions = { color: false }): string {
  const errors = diags.filter(d => d.severity === 'error').length;
  const warnings = diags.length - errors;
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const warned = warnings > 0 ? `${plural(warnings, 'warning')} emitted` : '';
  if (errors > 0) {
    const tail = warned ? `; ${warned}` : '';
    return `${c.red.bold('error')}${c.bold(`: aborting due to ${errors === 1 ? 'the previous error' : `${errors} previous errors`}${tail}`)}`;
  }
  return warnings > 0 ? `${c.yellow.bold('warning')}${c.bold(`: ${warned}`)}` : '';
}

/** Every diagnostic, a blank line after each, then the summary line (what `thc` writes to stderr). */
export function renderDiagnostics(diags: readonly Diagnostic[], files: ReadonlyMap<string, SourceFile>, opts: RenderOptions): string {
  if (diags.length === 0) return '';
  const body = diags.map(d => renderDiagnostic(d, files, opts) + '\n').join('\n');
  return `${body}\n${renderSummary(diags, opts)}\n`;
}
