/**
 * @file A parser for the tiny subset of Python literals a .npy header dict uses: dicts, tuples,
 * lists, quoted strings, ints, True/False/None. Produces plain JS values (tuples and lists both
 * become arrays tagged by `PyTuple`); throws `PyLiteralError` with a short reason on bad input.
 */

export type PyValue = string | number | boolean | null | PyValue[] | PyTuple | PyDict;
export interface PyTuple { readonly tuple: PyValue[] }
export interface PyDict { readonly dict: Map<string, PyValue> }

export class PyLiteralError extends Error {}

/** Parses one literal filling the whole text (surrounding whitespace allowed). */
export function parsePyLiteral(text: string): PyValue {
  const p = { text, pos: 0 };
  const v = parseValue(p);
  skipSpace(p);
  if (p.pos !== text.length) throw new PyLiteralError(`unexpected \`${text[p.pos]}\` after the value`);
  return v;
}

interface Cursor { readonly text: string; pos: number }

function skipSpace(p: Cursor): void {
  while (p.pos < p.text.length && /\s/.test(p.text[p.pos]!)) p.pos++;
}

function parseValue(p: Cursor): PyValue {
  skipSpace(p);
  const c = p.text[p.pos];
  if (c === undefined) throw new PyLiteralError('the header ends early');
  if (c === '{') return parseDict(p);
  if (c === '(') return parseSeq(p, ')');
  if (c === '[') return parseSeq(p, ']');
  if (c === "'" || c === '"') return parseString(p);
  const m = /^(?:[+-]?\d+L?|True|False|None)/.exec(p.text.slice(p.pos));
  if (!m) throw new PyLiteralError(`unexpected \`${c}\``);
  p.pos += m[0].length;
  if (m[0] === 'True') return true;
  if (m[0] === 'False') return false;
  if (m[0] === 'None') return null;
  return Number(m[0].replace('L', '')); // Python 2 wrote long ints as `3L`
}

function parseString(p: Cursor): string {
  const quote = p.text[p.pos++]!;
  let s = '';
  while (p.pos < p.text.length && p.text[p.pos] !== quote) {
    if (p.text[p.pos] === '\\') p.pos++;
    s += p.text[p.pos++] ?? '';
  }
  if (p.pos >= p.text.length) throw new PyLiteralError('a string is not closed');
  p.pos++;
  return s;
}

/** Items separated by commas, an optional trailing comma, then `close`. */
function parseItems<T>(p: Cursor, close: string, item: (p: Cursor) => T): T[] {
  const items: T[] = [];
  for (;;) {
    skipSpace(p);
    if (p.text[p.pos] === close) { p.pos++; return items; }
    items.push(item(p));
    skipSpace(p);
    if (p.text[p.pos] === ',') { p.pos++; continue; }
    if (p.text[p.pos] === close) { p.pos++; return items; }
    throw new PyLiteralError(p.pos >= p.text.length ? 'the header ends early' : `expected \`,\` or \`${close}\``);
  }
}

function parseSeq(p: Cursor, close: ')' | ']'): PyValue {
  p.pos++;
  const items = parseItems(p, close, parseValue);
  return close === ')' ? { tuple: items } : items;
}

function parseDict(p: Cursor): PyDict {
  p.pos++;
  const dict = new Map<string, PyValue>();
  parseItems(p, '}', q => {
    const key = parseValue(q);
    if (typeof key !== 'string') throw new PyLiteralError('a dict key is not a string');
    skipSpace(q);
    if (q.text[q.pos] !== ':') throw new PyLiteralError('expected `:` after a dict key');
    q.pos++;
    dict.set(key, parseValue(q));
    return key;
  });
  return { dict };
}
