/**
 * @file A seeded generator of syntax-level `.th` programs, for comparing the direct parser with
 * the careful path. Unlike program-gen.ts (meaningful programs), it writes every syntactic form in
 * odd combinations: slices with parts left out, keyword arguments, trailing and doubled commas,
 * tuples, chains of prefixes and `not`, `^` towers, comments and line breaks between tokens, and
 * now and then a mistake (`**`, `=` in an expression, a bad literal, a keyword as a name).
 * About one program in six parses without a diagnostic. Deterministic for a given Gen.
 */
import type { Gen } from './program-gen.js';

const NAMES = ['x', 'y', 'k', '_', 'a1', 'notx', 'fnord', 'w'];
const OPS = ['+', '-', '*', '/', '%', '@', '^', '==', '!=', '<', '<=', '>', '>=', 'and', 'or'];
const BAD_OPS = ['=', '<-', '**'];

/** The text between two tokens: mostly a space, sometimes nothing, a line break or a comment. */
const gap = (g: Gen): string => g.pick([' ', ' ', ' ', '', '\n', '  ', ' # c\n', '\r\n', '\t']);

/** n items joined by commas, sometimes with a trailing or a doubled comma. */
function list(g: Gen, n: number, item: () => string): string {
  const xs: string[] = [];
  for (let i = 0; i < n; i++) xs.push(item());
  const s = xs.join(g.pick([',', ', ', ' ,', ',,']));
  return g.r() < 0.2 ? `${s},` : s;
}

function atom(g: Gen, d: number): string {
  switch (g.int(d <= 0 ? 5 : 8)) {
    case 0: case 1: case 4: return g.pick(NAMES);
    case 2: return g.pick(['1', '2.5', '.5', '1.', '1e3', '1e-3', '2E+2', '007', '1e', '2x', '1.e5']);
    case 3: return g.pick(['true', 'false', '"s"', '"a\\"b"', '""', '"\\q"']);
    case 5: return `(${list(g, g.int(3), () => expr(g, d - 1))})`;
    case 6: return `[${list(g, g.int(3), () => expr(g, d - 1))}]`;
    default: return `(${expr(g, d - 1)})`;
  }
}

function slice(g: Gen, d: number): string {
  const part = (): string => (g.r() < 0.5 ? expr(g, d) : '');
  switch (g.int(4)) {
    case 0: return expr(g, d);
    case 1: return `${part()}:${part()}`;
    case 2: return `${part()}:${part()}:${part()}`;
    default: return part();
  }
}

function suffix(g: Gen, d: number): string {
  switch (g.int(3)) {
    case 0: return `(${list(g, g.int(3), () => (g.r() < 0.3 ? `${g.pick(NAMES)}${gap(g)}=${gap(g)}${expr(g, d - 1)}` : expr(g, d - 1)))})`;
    case 1: return `[${list(g, 1 + g.int(2), () => slice(g, d - 1))}]`;
    default: return `.${g.pick(['T', 'shape', 'type', 'x1'])}`;
  }
}

function operand(g: Gen, d: number): string {
  let s = '';
  const prefixes = g.r() < 0.7 ? 0 : 1 + g.int(3);
  for (let i = 0; i < prefixes; i++) s += g.pick(['-', '+', 'not ', '- ']);
  s += atom(g, d);
  const suffixes = g.r() < 0.6 ? 0 : 1 + g.int(2);
  for (let i = 0; i < suffixes; i++) s += suffix(g, d);
  if (g.r() < 0.15) s += `${gap(g)}^${gap(g)}${operand(g, d - 1)}`;
  return s;
}

function expr(g: Gen, d: number): string {
  let s = operand(g, d);
  const n = d <= 0 ? 0 : g.int(4);
  for (let i = 0; i < n; i++) s += `${gap(g)}${g.pick(g.r() < 0.97 ? OPS : BAD_OPS)}${gap(g)}${operand(g, d - 1)}`;
  return s;
}

const typeExpr = (g: Gen): string =>
  g.r() < 0.4 ? g.pick(['f32', 'T']) : `f32[${list(g, g.int(3), () => g.pick(['n', '_', '3', '1.5', 'm']))}]`;

function stmt(g: Gen): string {
  switch (g.int(6)) {
    case 0: case 1: return `let ${g.r() < 0.8 ? g.pick(NAMES) : `(${list(g, 1 + g.int(2), () => g.pick(NAMES))})`}${gap(g)}=${gap(g)}${expr(g, 2)}`;
    case 2: return `${g.pick(NAMES)}${gap(g)}<-${gap(g)}${expr(g, 2)}`;
    case 3: return ';';
    case 4: return `return ${expr(g, 2)}`;
    default: return g.r() < 0.5 ? `let z = ${expr(g, 2)}` : expr(g, 1);
  }
}

function decl(g: Gen): string {
  switch (g.int(7)) {
    case 0: return g.pick(['use nn', 'use "a.th"', 'use 3', 'use type']);
    case 1: return `type ${g.pick(['T', 'U', 'fn'])} = ${typeExpr(g)}`;
    case 2: return `shared ${g.pick(NAMES)}${g.r() < 0.9 ? `: ${typeExpr(g)}` : ''}${g.r() < 0.7 ? ` = ${expr(g, 2)}` : ''}`;
    case 3: return `let ${g.pick(NAMES)} = ${expr(g, 2)}`;
    case 4: return ';';
    default: {
      const params = list(g, g.int(3), () => `${g.pick(NAMES)}${g.r() < 0.5 ? `: ${typeExpr(g)}` : ''}${g.r() < 0.3 ? ` = ${expr(g, 1)}` : ''}`);
      if (g.r() < 0.4) return `fn f(${params}) = ${expr(g, 3)}`;
      const body: string[] = [];
      const n = g.int(4);
      for (let i = 0; i < n; i++) body.push(stmt(g));
      if (g.r() < 0.9) body.push(`return ${expr(g, 2)}`);
      return `fn f(${params}) {${gap(g)}${body.join(g.pick(['\n', '\n', '; ', ' ']))}${gap(g)}}`;
    }
  }
}

/** A program of one to four declarations. */
export function syntaxProgram(g: Gen): string {
  const ds: string[] = [];
  const n = 1 + g.int(4);
  for (let i = 0; i < n; i++) ds.push(decl(g));
  return ds.join(g.pick(['\n', '\n\n', ' ', '\n# x\n']));
}
