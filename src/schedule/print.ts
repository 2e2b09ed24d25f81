/**
 * @file `thc graph --stage kernels`: a Schedule as text or JSON. Consumes a Schedule and the entry's
 * Graph (for its signature); produces a string. Deterministic: everything printed follows the
 * schedule's own orders (kernels, inputs, buffers, copies), so the same program prints the same bytes.
 */
import type { Graph } from '../graph/graph.js';
import type { Node } from '../graph/node.js';
import { signatureText } from '../graph/print.js';
import { typeToString } from '../sema/types.js';
import { shapeToJson } from '../graph/print-values.js';
import { isIdentity, mapKey, mapText, mapToJson, stepText, type IndexMap, type ViewStep } from './index-map.js';
import type { Kernel, Schedule, SourceLines } from './types.js';

/** `19-21, 24`: sorted line numbers with runs collapsed. */
function lineRanges(lines: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    out.push(j === i ? String(lines[i]) : `${lines[i]}-${lines[j]}`);
    i = j;
  }
  return out.join(', ');
}

/** `# lines 21, 24-25; <stdlib>/nn.th 13`: the entry file's lines first, other files by name. */
function linesText(ls: readonly SourceLines[], entryFile: string): string {
  if (ls.length === 0) return '';
  const parts = ls.map(l => (l.file === entryFile ? `lines ${lineRanges(l.lines)}` : `${l.file} ${lineRanges(l.lines)}`));
  return `# ${parts.join('; ')}`;
}

/** Every distinct (view steps, map) a kernel reads each input through, in first-read order. */
function readsOf(k: Kernel): { steps: readonly ViewStep[]; map: IndexMap }[][] {
  const reads = k.inputs.map(() => new Map<string, { steps: readonly ViewStep[]; map: IndexMap }>());
  for (const e of [...k.args, k.body]) {
    for (const v of e.values) {
      if (v.kind === 'load') {
        const key = `${mapKey(v.map)}|${JSON.stringify(v.steps)}`;
        if (!reads[v.input]!.has(key)) reads[v.input]!.set(key, { steps: v.steps, map: v.map });
      }
    }
  }
  return reads.map(r => [...r.values()]);
}

const readText = (r: { steps: readonly ViewStep[]; map: IndexMap }): string =>
  r.steps.length === 0 && isIdentity(r.map) ? '' : ` | ${r.steps.map(stepText).join(' | ')}${r.steps.length ? ' ' : ''}=> ${mapText(r.map)}`;

const shapeText = (shape: readonly string[]): string => `[${shape.join(', ')}]`;

function kernelSpace(k: Kernel): string {
  const reduceInput = k.kind === 'reduce' && k.args[0] ? ` <- ${shapeText(k.args[0].shape.map(String))}` : '';
  const part = k.part !== null ? ` (operand ${k.part})` : '';
  return `${shapeText(k.shape)}${reduceInput}${part}`;
}

function kernelText(s: Schedule, k: Kernel, entryFile: string): string[] {
  const name = (b: number) => s.buffers[b]!.name;
  const head = `${k.name}: ${k.kind} ${kernelSpace(k)}`;
  const lines = linesText(k.lines, entryFile);
  const out = [`    ${lines ? `${head}   ${lines}` : head}`];
  out.push(`      ops: ${k.members.length ? k.members.map(m => m.op).join(', ') : 'copy'}`);
  const reads = readsOf(k);
  k.inputs.forEach((x, i) => {
    for (const r of reads[i]!) out.push(`      in  ${name(x.buffer)}: ${typeToString(x.value.type)}${readText(r)}`);
  });
  for (const o of k.outputs) {
    const via = isIdentity(o.map) ? '' : ` => ${mapText(o.map)}`;
    out.push(`      out ${name(o.buffer)}: ${typeToString(o.value.type)}${via}`);
  }
  return out;
}

/** The kernels each value of a buffer comes from (`k0, k4`), or `resident` / `argument`. */
function holders(s: Schedule, b: number): string {
  const buf = s.buffers[b]!;
  if (buf.kind === 'shared') return 'resident';
  if (buf.kind === 'param') return 'argument';
  if (buf.kind === 'const') return 'constant';
  const by = s.kernels.filter(k => k.outputs.some(o => o.buffer === b)).map(k => k.name);
  return `written by ${[...new Set(by)].join(', ')}`;
}

export function printScheduleText(s: Schedule, g: Graph): string {
  const entryFile = g.span.file;
  const out = [signatureText(g), '  kernels:'];
  for (const k of s.kernels) out.push(...kernelText(s, k, entryFile));
  out.push('  buffers:');
  const width = Math.max(0, ...s.buffers.map(b => b.name.length));
  for (const b of s.buffers) {
    const types = [...new Set([b.type, ...b.values.map((v: Node) => v.type)].map(typeToString))];
    const type = types.join(' / ');
    out.push(`    ${b.name.padEnd(width)}  ${b.kind.padEnd(6)}  ${type}  (${b.width} B x ${b.count}; ${holders(s, b.id)})`);
  }
  if (s.copies.length > 0) {
    out.push('  copies (after every kernel):');
    for (const c of s.copies) out.push(`    ${s.buffers[c.to]!.name} <- ${s.buffers[c.from]!.name}`);
  }
  out.push('  outputs:');
  for (const o of s.outputs) out.push(`    ${o.name} = ${s.buffers[o.buffer]!.name}`);
  return out.join('\n');
}

export function scheduleToJson(s: Schedule, g: Graph): unknown {
  const reads = (k: Kernel) => readsOf(k).map(rs => rs.map(r => ({ steps: r.steps.map(stepText), map: mapToJson(r.map) })));
  return {
    entry: s.entry,
    signature: signatureText(g),
    kernels: s.kernels.map(k => ({
      name: k.name,
      kind: k.kind,
      shape: k.shape,
      ...(k.kind === 'reduce' && k.args[0] ? { reduceShape: shapeToJson(k.args[0].shape) } : {}),
      part: k.part,
      ops: k.members.map(m => m.op),
      lines: k.lines,
      inputs: k.inputs.map((x, i) => ({ buffer: s.buffers[x.buffer]!.name, type: typeToString(x.value.type), reads: reads(k)[i] })),
      outputs: k.outputs.map(o => ({ buffer: s.buffers[o.buffer]!.name, type: typeToString(o.value.type), map: mapToJson(o.map) })),
    })),
    buffers: s.buffers.map(b => ({
      name: b.name, kind: b.kind, width: b.width, count: b.count,
      type: typeToString(b.type),
      values: b.values.map(v => typeToString(v.type)),
    })),
    releases: s.releases.map(r => r.map(b => s.buffers[b]!.name)),
    copies: s.copies.map(c => ({ shared: c.shared, from: s.buffers[c.from]!.name, to: s.buffers[c.to]!.name })),
    outputs: s.outputs.map(o => ({ name: o.name, buffer: s.buffers[o.buffer]!.name })),
  };
}
