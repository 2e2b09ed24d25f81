/**
 * @file The grammar folder stays in step with the parser: generated files (diagrams.html, cst.d.ts)
 * are regenerated in memory and compared, the grammar validates with Chevrotain's ambiguity checks,
 * th.ebnf names every parser rule, and the TextMate grammar scopes keywords, dtypes and numbers.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { repoPath } from './helpers/paths.js';
import { GENERATED } from '../scripts/gen-grammar.js';
import { ThParser } from '../src/syntax/parser.js';
import { KEYWORDS, allTokens, chev } from '../src/syntax/tokens.js';

const read = (p: string): string => readFileSync(repoPath(p), 'utf8');

test('generated grammar files are up to date', () => {
  for (const g of GENERATED) {
    const fresh = g.text();
    assert.is(fresh, g.text(), `${g.path}: generation is not deterministic`);
    assert.ok(read(g.path) === fresh, `${g.path} is stale: run \`npm run gen:grammar\``);
  }
});

test('the grammar passes Chevrotain validations (no ambiguities, no left recursion)', () => {
  const parser = new ThParser({ skipValidations: false });
  assert.ok(Object.keys(parser.getGAstProductions()).length > 20);
  // The shared lexer skips its validations for start-up speed; check the token set here instead.
  const lexer = new chev.Lexer(allTokens, { positionTracking: 'full', skipValidations: false, ensureOptimizations: false });
  assert.equal(lexer.lexerDefinitionErrors, []);
});

test('th.ebnf defines every parser rule and lists every keyword', () => {
  const ebnf = read('grammar/th.ebnf');
  const rules = Object.keys(new ThParser({ skipValidations: true }).getGAstProductions());
  for (const r of rules) assert.match(ebnf, new RegExp(`^${r}\\s+=`, 'm'), `rule ${r} missing from th.ebnf`);
  const kwLine = ebnf.slice(ebnf.indexOf('keyword     ='), ebnf.indexOf(';', ebnf.indexOf('keyword     =')));
  for (const k of KEYWORDS) assert.ok(kwLine.includes(`"${k.name.toLowerCase()}"`), `keyword ${k.name} missing from th.ebnf`);
});

interface TmRule { name?: string; match?: string; patterns?: TmRule[]; captures?: Record<string, { name: string }> }

test('th.tmLanguage.json scopes keywords, dtypes, numbers and operators', () => {
  const tm = JSON.parse(read('grammar/th.tmLanguage.json')) as { scopeName: string; repository: Record<string, TmRule> };
  assert.is(tm.scopeName, 'source.th');
  // The scope a word gets from the first repository rule (in the given order) whose regex matches all of it.
  const scopeOf = (word: string, order: string[]): string | undefined => {
    for (const key of order) {
      const rules = tm.repository[key]!.patterns ?? [tm.repository[key]!];
      for (const r of rules) if (r.match && r.name && new RegExp(`^(?:${r.match})$`).test(word)) return r.name;
    }
    return undefined;
  };
  const order = ['keyword', 'type', 'number', 'operator', 'identifier'];
  for (const k of KEYWORDS) assert.ok(scopeOf(k.name.toLowerCase(), order)?.match(/^(keyword|storage|constant\.language)/), `keyword ${k.name}`);
  for (const d of ['f16', 'f32', 'f64', 'i32', 'u32', 'bool']) assert.is(scopeOf(d, order), 'support.type.dtype.th');
  assert.is(scopeOf('3', order), 'constant.numeric.integer.th');
  for (const n of ['3.0', '.5', '1e-3', '2.5E+4']) assert.is(scopeOf(n, order), 'constant.numeric.float.th', n);
  assert.is(scopeOf('2x', order), 'invalid.illegal.number.th');
  assert.is(scopeOf('<-', order), 'keyword.operator.update.th');
  assert.is(scopeOf('**', order), 'invalid.illegal.operator.th');
  assert.is(scopeOf('letter', order), 'variable.other.th');
});

test.run();
