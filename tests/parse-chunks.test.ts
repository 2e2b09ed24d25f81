/**
 * @file Error-free files are parsed one top-level declaration at a time (syntax/parse-fast.ts) for
 * speed; that must never change what the parser produces. Generated and mutated programs (most
 * with syntax errors) give the same AST and diagnostics as a parse of the whole file in one piece.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSource } from '../src/syntax/parse.js';
import { sourceFile } from '../src/source/source-file.js';
import { createSink } from '../src/diag/sink.js';
import { gen, mutate, program } from './helpers/program-gen.js';

function parsed(src: string, byDeclaration: boolean): string {
  const sink = createSink();
  const ast = parseSource(sourceFile('t.th', src), sink, { byDeclaration });
  return `${JSON.stringify(ast)}\n${JSON.stringify(sink.diagnostics)}`;
}

test('declaration-at-a-time parsing equals whole-file parsing on 3,000 generated programs', () => {
  let withErrors = 0;
  for (let seed = 1; seed <= 1000; seed++) {
    const g = gen(seed);
    let src = program(g, 4);
    for (let m = 0; m < 3; m++) {
      if (m > 0) src = mutate(g, src);
      const chunked = parsed(src, true);
      if (chunked.includes('"code":"TH01')) withErrors++;
      assert.is(chunked, parsed(src, false), `seed ${seed}, mutation ${m}:\n${src}`);
    }
  }
  // The comparison is only meaningful if many programs have syntax errors (recovery paths).
  assert.ok(withErrors > 1500, `only ${withErrors} programs had syntax errors`);
});

test.run();
