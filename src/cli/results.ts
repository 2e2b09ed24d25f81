/**
 * @file Printing `thc run` results on stdout.
 * Text: a single output prints its numpy repr alone; several print `name = <repr>` each, with the
 * repr's continuation lines indented by the width of `name = ` so numpy's column alignment holds.
 * JSON: exactly one object `{"outputs": {"NAME": {"dtype", "shape", "data"}, ...}}` in output order,
 * newline-terminated, `data` as numpy's tolist() with NaN/Infinity as strings.
 */
import type { NDArray } from '../runtime/ndarray.js';
import { formatArray } from '../runtime/format.js';
import { arrayToTypedJson } from '../runtime/json-value.js';
import { toJsonText } from './output.js';

export function formatOutputs(outputs: ReadonlyMap<string, NDArray>, format: 'text' | 'json'): string {
  return format === 'json' ? `${outputsToJson(outputs)}\n` : outputsToText(outputs);
}

export function outputsToText(outputs: ReadonlyMap<string, NDArray>): string {
  if (outputs.size === 1) return `${formatArray([...outputs.values()][0]!)}\n`;
  let out = '';
  for (const [name, a] of outputs) {
    const indent = ' '.repeat(name.length + 3);
    out += `${name} = ${formatArray(a).split('\n').join(`\n${indent}`)}\n`;
  }
  return out;
}

export function outputsToJson(outputs: ReadonlyMap<string, NDArray>): string {
  // Built from the Map directly: an output may be called `__proto__`, which a plain object would eat.
  const entries = [...outputs].map(([name, a]) =>
    `${JSON.stringify(name)}: ${toJsonText(arrayToTypedJson(a))}`);
  return `{"outputs": {${entries.join(', ')}}}`;
}
