/**
 * @file Fuzz: 10,000 generated and mutated programs through parse and check (seeded, deterministic).
 * Asserts the front end never fails internally (no TH9xxx, no exception) and that every rejection is
 * a catalogued diagnostic whose primary span lies inside a loaded file with consistent line/col.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileSource } from '../src/pipeline.js';
import { catalog } from '../src/diag/codes.js';
import { gen, program, mutate } from './helpers/program-gen.js';

const COUNT = Number(process.env['THC_FUZZ_COUNT'] ?? 10000);
const SEED = Number(process.env['THC_FUZZ_SEED'] ?? 20261128);

function checkOne(src: string, label: string): string | undefined {
  const res = compileSource({ source: src, path: '/fuzz/prog.th', displayName: 'prog.th' }, { host: { readFile: () => undefined } });
  for (const d of res.diagnostics) {
    if (d.code.startsWith('TH9')) return `${label}: internal error ${d.code}: ${d.message}\n--- program ---\n${src}`;
    if (!catalog[d.code]) return `${label}: uncatalogued code ${d.code}`;
    if (!d.primary) return `${label}: ${d.code} has no primary span: ${d.message}`;
    const s = d.primary.span;
    const f = res.files.get(s.file);
    if (!f) return `${label}: ${d.code} points into unknown file ${s.file}`;
    if (!(s.start >= 0 && s.start <= s.end && s.end <= f.text.length)) return `${label}: ${d.code} span ${s.start}..${s.end} outside ${s.file} (${f.text.length} chars)\n${src}`;
    const p = f.position(s.start);
    if (p.line !== s.line || p.col !== s.col) return `${label}: ${d.code} line/col ${s.line}:${s.col} but offset says ${p.line}:${p.col}\n${src}`;
    if (/\{\w+\}/.test(d.message)) return `${label}: ${d.code} message has an unfilled placeholder: ${d.message}`;
  }
  return undefined;
}

test(`${COUNT} generated and mutated programs: no internal errors, every diagnostic well-formed`, () => {
  const g = gen(SEED);
  const failures: string[] = [];
  let rejected = 0;
  for (let i = 0; i < COUNT && failures.length < 5; i++) {
    const base = program(g, 1 + g.int(3));
    const src = i % 2 === 0 ? base : mutate(g, base);
    const problem = checkOne(src, `program #${i}`);
    if (problem) failures.push(problem);
    else rejected++;
  }
  assert.is(failures.length, 0, failures.join('\n\n'));
  assert.ok(rejected > 0);
});

test('pathological inputs', () => {
  const cases = [
    '', ' ', '\n\n', '#', 'fn', 'fn f(', 'fn f(x) =', '((((((((((', ')))))', '[[[[[[', '"', '"\\', 'shared', 'use', 'type',
    'fn f(x: f32[) = x', 'fn f(x: f32[n, m]) = x @@ x', '\u0000', '\uffff', 'fn f(x: f32) = ' + '('.repeat(500) + 'x' + ')'.repeat(500),
    'fn f(x: f32) = ' + Array(2000).fill('x').join(' + '), 'fn f(x: f32) = ' + '-'.repeat(1000) + 'x',
    'fn f(x: f32) = x' + '.T'.repeat(300), 'fn f(x: f32) = ' + 'exp('.repeat(300) + 'x' + ')'.repeat(300),
  ];
  for (const [i, src] of cases.entries()) {
    const problem = checkOne(src, `case ${i}`);
    assert.is(problem, undefined, problem);
  }
});

test.run();
