/**
 * @file Diagnostics rendering tests: the rustc-style code frame on hand-built diagnostics (compared
 * with hand-written expected text), the compact one-line form, the JSON schema and name suggestions.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sourceFile, type SourceFile } from '../src/source/source-file.js';
import type { Span } from '../src/source/span.js';
import type { Diagnostic, Help, Label } from '../src/diag/diagnostic.js';
import { renderDiagnostic, renderSummary, renderDiagnostics } from '../src/diag/render.js';
import { compactDiagnostic, codeAndPosition, diagnosticToJson } from '../src/diag/compact.js';
import { nearbyNames, editDistance } from '../src/diag/suggest.js';
import { readFileSync } from 'node:fs';
import { catalog } from '../src/diag/codes.js';
import { diagnosticsDoc, DOC_PATH } from '../scripts/gen-diag-docs.js';

/** The span of the `nth` (0-based) occurrence of `needle` in the file. */
function spanOf(f: SourceFile, needle: string, nth = 0): Span {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = f.text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${needle} not found`);
  }
  return spanAt(f, at, at + needle.length);
}

function spanAt(f: SourceFile, start: number, end: number): Span {
  const a = f.position(start), b = f.position(end);
  return { file: f.name, start, end, line: a.line, col: a.col, endLine: b.line, endCol: b.col };
}

function diag(code: string, message: string, primary: Label | null, more: Partial<Diagnostic> = {}): Diagnostic {
  return { code, severity: 'error', message, primary, secondary: [], notes: [], help: [], ...more };
}

const filesOf = (...fs: SourceFile[]) => new Map(fs.map(f => [f.name, f]));
const plain = { color: false };
/** Test expectations are written as lines joined here, so trailing spaces cannot hide in them. */
const lines = (...ls: string[]) => ls.join('\n');

const trainSrc = sourceFile('train.th', [
  'use nn',
  'shared w: f32[784, 10] = 0',
  'shared b: f32[10] = 0',
  '',
  'fn train(x: f32[n, 784]) {',
  '  let h = x @ w',
  '  let z = h + b',
  '  return z',
  '}',
  '',
].join('\n'));

test('render: overlapping and same-column labels never throw and keep every message', () => {
  const src = sourceFile('o.th', 'fn f(x: f32[3]) = relu(h) + w ^ 2\n');
  const whole = spanOf(src, 'relu(h) + w ^ 2');
  const cases: Label[][] = [
    [{ span: spanOf(src, 'relu(h)'), message: 'left' }, { span: spanOf(src, 'w ^ 2'), message: 'right' }],
    [{ span: whole, message: 'same start' }, { span: spanOf(src, 'w'), message: 'inside' }],
    [{ span: spanOf(src, 'relu'), message: 'a' }, { span: spanOf(src, 'relu'), message: 'b' }],
  ];
  for (const secondary of cases) {
    const out = renderDiagnostic(diag('TH0350', 'm', { span: whole, message: 'primary' }, { secondary }), filesOf(src), plain);
    for (const l of [{ message: 'primary' }, ...secondary]) assert.ok(out.includes(l.message), `${l.message} missing from\n${out}`);
  }
});

test('render: primary and secondary labels in one file, gap of one line filled', () => {
  const d = diag('TH0301', 'cannot broadcast f32[n, 784] with f32[10]', { span: spanOf(trainSrc, 'h + b'), message: 'this is f32[n, 784]' }, {
    secondary: [{ span: spanOf(trainSrc, 'f32[n, 784]'), message: 'n = 784 here' }],
    notes: ['dimension 1 is 784 on the left and 10 on the right'],
    help: [{ message: 'make the shapes agree' }],
  });
  assert.fixture(renderDiagnostic(d, filesOf(trainSrc), plain), lines(
    'error[TH0301]: cannot broadcast f32[n, 784] with f32[10]',
    '  --> train.th:7:11',
    '   |',
    ' 5 | fn train(x: f32[n, 784]) {',
    '   |             ----------- n = 784 here',
    ' 6 |   let h = x @ w',
    ' 7 |   let z = h + b',
    '   |           ^^^^^ this is f32[n, 784]',
    '   |',
    '   = note: dimension 1 is 784 on the left and 10 on the right',
    'help: make the shapes agree',
  ));
});

test('render: large gaps become `...`; gutter width follows the largest line number', () => {
  const src = sourceFile('gap.th', ['fn f(x: f32[n]) {', ...Array.from({ length: 9 }, (_, i) => `  let a${i} = x`), '  return a8 + y', '}'].join('\n'));
  const d = diag('TH0201', 'cannot find `y` in this scope', { span: spanOf(src, 'y'), message: 'not found' }, {
    secondary: [{ span: spanOf(src, 'x: f32[n]'), message: 'parameters of `f`' }],
  });
  assert.fixture(renderDiagnostic(d, filesOf(src), plain), lines(
    'error[TH0201]: cannot find `y` in this scope',
    '   --> gap.th:11:15',
    '    |',
    '  1 | fn f(x: f32[n]) {',
    '    |      --------- parameters of `f`',
    '...',
    ' 11 |   return a8 + y',
    '    |               ^ not found',
  ));
});

test('render: several labels on one line hang their messages on stems', () => {
  const src = sourceFile('m.th', 'fn f(a: f32[3], b: f32[4]) = a + b\n');
  const d = diag('TH0301', 'cannot broadcast f32[3] with f32[4]', { span: spanOf(src, '+'), message: 'in this addition' }, {
    secondary: [
      { span: spanOf(src, 'a', 1), message: 'this is f32[3]' },
      { span: spanOf(src, 'b', 1), message: 'this is f32[4]' },
    ],
  });
  // Columns: `a` of the body is at col 30, `+` at 32, `b` at 34 (29, 31, 33 spaces after `| `).
  const under = (s: string) => `   | ${' '.repeat(29)}${s}`;
  assert.fixture(renderDiagnostic(d, filesOf(src), plain), lines(
    'error[TH0301]: cannot broadcast f32[3] with f32[4]',
    '  --> m.th:1:32',
    '   |',
    ' 1 | fn f(a: f32[3], b: f32[4]) = a + b',
    under('- ^ - this is f32[4]'),
    under('| |'),
    under('| in this addition'),
    under('this is f32[3]'),
  ));
});

test('render: a label in another file gets its own `:::` section', () => {
  const lib = sourceFile('<stdlib>/nn.th', '# nn\nfn relu(x) = maximum(x, 0)\n');
  const main = sourceFile('main.th', 'use nn\nfn f(x: bool[3]) = relu(x)\n');
  const d = diag('TH0350', 'maximum of bool[3] and i32 is not defined', { span: spanOf(lib, 'maximum(x, 0)'), message: 'in this call' }, {
    secondary: [{ span: spanOf(main, 'relu(x)'), message: 'inlined from here' }],
  });
  assert.fixture(renderDiagnostic(d, filesOf(lib, main), plain), lines(
    'error[TH0350]: maximum of bool[3] and i32 is not defined',
    '  --> <stdlib>/nn.th:2:14',
    '   |',
    ' 2 | fn relu(x) = maximum(x, 0)',
    '   |              ^^^^^^^^^^^^^ in this call',
    '  ::: main.th:2:20',
    '   |',
    ' 2 | fn f(x: bool[3]) = relu(x)',
    '   |                    ------- inlined from here',
  ));
});

test('render: a multi-line span underlines its first line and says where it ends', () => {
  const src = sourceFile('b.th', 'fn f(x: f32[2]) {\n  let y = x\n  return y\n}\n');
  const body = spanAt(src, src.text.indexOf('{'), src.text.length - 1);
  const d = diag('TH0310', 'function `f` returns f32[2], not f64[2]', { span: body, message: 'this body' });
  assert.fixture(renderDiagnostic(d, filesOf(src), plain), lines(
    'error[TH0310]: function `f` returns f32[2], not f64[2]',
    '  --> b.th:1:17',
    '   |',
    ' 1 | fn f(x: f32[2]) {',
    `   | ${' '.repeat(16)}^ this body (ends on line 4)`,
  ));
});

test('render: zero-width spans get one caret; tabs are expanded to 4 spaces', () => {
  const src = sourceFile('t.th', 'fn f(x: f32) {\n\tlet y = x +\n}\n');
  const end = src.text.indexOf('+') + 1;
  const d = diag('TH0102', 'expected an expression after `+`', { span: spanAt(src, end, end), message: 'expected an expression' });
  assert.fixture(renderDiagnostic(d, filesOf(src), plain), lines(
    'error[TH0102]: expected an expression after `+`',
    '  --> t.th:2:13',
    '   |',
    ' 2 |     let y = x +',
    `   | ${' '.repeat(15)}^ expected an expression`,
  ));
});

test('render: no primary span prints the header, notes and help only', () => {
  const d = diag('TH0601', 'cannot read `w.npy`', null, { notes: ['no such file'], help: [{ message: 'check the path' }] });
  assert.fixture(renderDiagnostic(d, new Map(), plain), lines(
    'error[TH0601]: cannot read `w.npy`',
    '   = note: no such file',
    'help: check the path',
  ));
});

test('render: a span in an unknown file shows its position only', () => {
  const span: Span = { file: '<builtin>', start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 };
  const d = diag('TH9001', 'internal compiler error: boom', { span, message: 'here' });
  assert.fixture(renderDiagnostic(d, new Map(), plain), lines(
    'error[TH9001]: internal compiler error: boom',
    '  --> <builtin>:1:1: here',
  ));
});

test('render: help with a replacement shows the edited line', () => {
  const src = sourceFile('p.th', 'fn sq(x: f32) = x ** 2\n');
  const op = spanOf(src, '**');
  const help: Help = { message: 'use `^` for powers', replacement: { span: op, text: '^' } };
  const d = diag('TH0110', '`**` is not an operator', { span: op, message: 'not an operator' }, { help: [help] });
  assert.fixture(renderDiagnostic(d, filesOf(src), plain), lines(
    'error[TH0110]: `**` is not an operator',
    '  --> p.th:1:19',
    '   |',
    ' 1 | fn sq(x: f32) = x ** 2',
    `   | ${' '.repeat(18)}^^ not an operator`,
    '   |',
    'help: use `^` for powers',
    '   |',
    ' 1 | fn sq(x: f32) = x ^ 2',
    `   | ${' '.repeat(18)}~`,
  ));
});

test('render: multi-line notes stay aligned; warnings use their own severity', () => {
  const d: Diagnostic = { ...diag('TH0901', 'something odd', null, { notes: ['first\nsecond'] }), severity: 'warning' };
  assert.fixture(renderDiagnostic(d, new Map(), plain), lines(
    'warning[TH0901]: something odd',
    '   = note: first',
    '           second',
  ));
});

test('render: colour adds ANSI codes and nothing else', () => {
  const d = diag('TH0301', 'cannot broadcast f32[n, 784] with f32[10]', { span: spanOf(trainSrc, 'h + b'), message: 'this is f32[n, 784]' }, {
    secondary: [{ span: spanOf(trainSrc, 'f32[n, 784]'), message: 'n = 784 here' }],
    notes: ['a note'], help: [{ message: 'a help' }],
  });
  const coloured = renderDiagnostic(d, filesOf(trainSrc), { color: true });
  assert.ok(coloured.includes('\x1b['), 'has escape codes');
  // eslint-disable-next-line no-control-regex
  assert.fixture(coloured.replace(/\x1b\[[0-9;]*m/g, ''), renderDiagnostic(d, filesOf(trainSrc), plain));
});

test('render: no line has trailing whitespace', () => {
  const src = sourceFile('e.th', 'fn f(x: f32) {\n\n  return x   \n}\n');
  const d = diag('TH0310', 'x', { span: spanOf(src, 'return'), message: '' }, { secondary: [{ span: spanOf(src, 'fn'), message: '' }] });
  for (const l of renderDiagnostic(d, filesOf(src), plain).split('\n')) assert.is(l, l.trimEnd());
});

test('summary line', () => {
  const e = diag('TH0301', 'x', null);
  const w: Diagnostic = { ...e, severity: 'warning' };
  assert.is(renderSummary([e]), 'error: aborting due to the previous error');
  assert.is(renderSummary([e, e]), 'error: aborting due to 2 previous errors');
  assert.is(renderSummary([e, w]), 'error: aborting due to the previous error; 1 warning emitted');
  assert.is(renderSummary([w, w]), 'warning: 2 warnings emitted');
  assert.is(renderSummary([]), '');
  assert.is(renderDiagnostics([e, e], new Map(), plain), 'error[TH0301]: x\n\nerror[TH0301]: x\n\nerror: aborting due to 2 previous errors\n');
});

test('compact one-line form', () => {
  const d = diag('TH0301', 'cannot broadcast f32[n, 784] with f32[10]', { span: spanOf(trainSrc, 'h + b'), message: 'this' });
  assert.is(compactDiagnostic(d), 'train.th:7:11: error[TH0301]: cannot broadcast f32[n, 784] with f32[10]');
  assert.is(codeAndPosition(d), 'TH0301 7:11');
  assert.is(compactDiagnostic(diag('TH0601', 'cannot read `w.npy`', null)), 'error[TH0601]: cannot read `w.npy`');
  assert.is(codeAndPosition(diag('TH0601', 'x', null)), 'TH0601');
});

test('JSON schema', () => {
  const src = sourceFile('p.th', 'fn sq(x: f32) = x ** 2\n');
  const op = spanOf(src, '**');
  const d = diag('TH0110', '`**` is not an operator', { span: op, message: 'not an operator' }, {
    secondary: [{ span: spanOf(src, 'x'), message: 'x' }],
    notes: ['n'],
    help: [{ message: 'use `^`', replacement: { span: op, text: '^' } }, { message: 'plain' }],
  });
  assert.equal(diagnosticToJson(d), {
    code: 'TH0110', severity: 'error', message: '`**` is not an operator',
    file: 'p.th', line: 1, col: 19, endLine: 1, endCol: 21,
    labels: [
      { file: 'p.th', line: 1, col: 19, endLine: 1, endCol: 21, message: 'not an operator', primary: true },
      { file: 'p.th', line: 1, col: 7, endLine: 1, endCol: 8, message: 'x', primary: false },
    ],
    notes: ['n'],
    help: [
      { message: 'use `^`', replacement: { file: 'p.th', line: 1, col: 19, endLine: 1, endCol: 21, text: '^' } },
      { message: 'plain' },
    ],
  });
  assert.equal(diagnosticToJson(diag('TH0601', 'm', null)), {
    code: 'TH0601', severity: 'error', message: 'm', file: null, line: null, col: null, endLine: null, endCol: null,
    labels: [], notes: [], help: [],
  });
});

test('edit distance (restricted Damerau-Levenshtein)', () => {
  assert.is(editDistance('', ''), 0);
  assert.is(editDistance('abc', ''), 3);
  assert.is(editDistance('kitten', 'sitting'), 3);
  assert.is(editDistance('sigmiod', 'sigmoid'), 1); // one transposition
  assert.is(editDistance('ca', 'abc'), 3); // OSA, not full Damerau (which would say 2)
  assert.is(editDistance('exp', 'expm1'), 2);
});

test('nearbyNames: thresholds, ordering, limits', () => {
  const builtins = ['exp', 'expm1', 'log', 'log1p', 'sigmoid', 'softplus', 'sum', 'mean', 'max', 'min', 'sqrt', 'tanh', 'tan'];
  assert.equal(nearbyNames('sigmiod', builtins), ['sigmoid']);
  assert.equal(nearbyNames('Sigmoid', builtins), ['sigmoid']);
  assert.equal(nearbyNames('tahn', builtins), ['tan', 'tanh']); // both one edit (a deletion, a swap): alphabetical
  assert.equal(nearbyNames('softmax', builtins), []);
  // Short names (< 3 characters) allow only one edit.
  assert.equal(nearbyNames('lg', ['log', 'lgamma', 'l']), ['l', 'log']);
  assert.equal(nearbyNames('ex', ['exp', 'expm1']), ['exp']);
  // At most 3, best first, ties alphabetical.
  assert.equal(nearbyNames('man', ['max', 'min', 'mean', 'man', 'mad', 'map']), ['mad', 'map', 'max']);
  // A case-insensitive match wins over a closer case-sensitive one.
  assert.equal(nearbyNames('LR', ['lr', 'LRx']), ['lr', 'LRx']);
  assert.equal(nearbyNames('x', []), []);
});

test('docs/diagnostics.md is up to date with the catalog', () => {
  const onDisk = readFileSync(DOC_PATH, 'utf8');
  const missing = Object.keys(catalog).filter(code => !onDisk.includes(`### ${code}: `));
  const why = missing.length > 0 ? `codes missing: ${missing.join(', ')}` : 'wording changed';
  assert.ok(onDisk === diagnosticsDoc(), `docs/diagnostics.md is stale (${why}): run \`npx tsc -p . && node dist/scripts/gen-diag-docs.js\``);
});

test('catalog wording follows the conventions (lowercase, no trailing period, has a title)', () => {
  for (const [code, info] of Object.entries(catalog)) {
    assert.ok(info.title.length > 0, `${code} has a title`);
    assert.ok(!/^[A-Z][a-z]/.test(info.message), `${code} message starts lowercase: ${info.message}`);
    assert.ok(!/\.$/.test(info.message), `${code} message has no trailing period: ${info.message}`);
  }
});

test.run();
