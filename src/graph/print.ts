/**
 * @file STUB (owned by the diagnostics/printing work): `thc graph` printers: text (Theano's
 * debugprint idea: each shared subexpression printed once and referred to by `%id`), DOT and JSON.
 */
import type { Graph } from './graph.js';

export type GraphFormat = 'text' | 'dot' | 'json';

export function printGraph(g: Graph, format: GraphFormat): string {
  return `${g.name} (${format}): printer not implemented yet`;
}
