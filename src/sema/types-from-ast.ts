/**
 * @file Type expressions -> TensorTypes in the signature's own terms: dtype names and aliases
 * (`type image = f32[_, 784]`), dims as literals, names (symbolic, or the value of a top-level
 * integer constant) and `_` (a fresh anonymous dim per occurrence). Unknown types are reported
 * (TH0208, with suggestions) and give null so callers can poison what depends on them.
 */
import type { Span } from '../source/span.js';
import type { DimExpr, TypeExpr } from '../syntax/ast.js';
import { nearbyNames } from '../diag/suggest.js';
import { fillTemplate } from '../diag/codes.js';
import { semaLabels } from '../diag/codes/sema.js';
import type { Help } from '../diag/diagnostic.js';
import type { DiagnosticSink } from '../diag/sink.js';
import { DTYPES, isDType, tensorType, typeToString, type DType, type TensorType } from './types.js';
import type { Dim } from './dims.js';
import { lookupTop, type ConstSym, type ModuleScope, type TypeSym } from './scope.js';

export interface TypeCx {
  readonly sink: DiagnosticSink;
  /** Fresh anonymous dims for `_`. */
  readonly anon: () => string;
  /** The integer value of a constant used as a dim; 'not-int' when it is not an integer constant. */
  constDim(sym: ConstSym): number | 'not-int';
}

/** A resolved signature type, plus where each named dim first appears (for "`n` = ... here"). */
export interface SigType { readonly type: TensorType; readonly dimSpans: ReadonlyMap<string, Span> }

export function resolveType(te: TypeExpr, scope: ModuleScope, cx: TypeCx): SigType | null {
  return resolveWith(te, scope, cx, new Set());
}

function resolveWith(te: TypeExpr, scope: ModuleScope, cx: TypeCx, seen: Set<TypeSym>): SigType | null {
  const name = te.name.name;
  const dimSpans = new Map<string, Span>();
  let dtype: DType;
  let shape: Dim[] | null = null;
  if (isDType(name)) {
    dtype = name;
  } else {
    const r = lookupTop(scope, name);
    if (r.kind !== 'top' || r.sym.kind !== 'type') {
      reportUnknownType(te, scope, cx.sink);
      return null;
    }
    const alias = r.sym;
    if (seen.has(alias)) {
      cx.sink.error('TH0219', { name: alias.name }, te.name.span);
      return null;
    }
    seen.add(alias);
    const inner = resolveWith(alias.decl.type, alias.scope, cx, seen);
    seen.delete(alias);
    if (!inner) return null;
    dtype = inner.type.dtype;
    // An alias of a bare dtype (`type real = f64`) may be given a shape; a shaped alias may not.
    if (alias.decl.type.shape !== null) {
      if (te.shape !== null) {
        cx.sink.error('TH0325', { name, type: typeToString(inner.type) }, te.span);
        return null;
      }
      shape = [...inner.type.shape];
      for (const [k, v] of inner.dimSpans) dimSpans.set(k, v);
    }
  }
  if (shape === null) {
    shape = [];
    for (const d of te.shape ?? []) {
      const dim = resolveDim(d, scope, cx);
      if (dim === null) return null;
      if (typeof dim === 'string' && d.kind === 'DimName' && !dimSpans.has(dim)) dimSpans.set(dim, d.span);
      shape.push(dim);
    }
  }
  return { type: tensorType(dtype, shape), dimSpans };
}

function resolveDim(d: DimExpr, scope: ModuleScope, cx: TypeCx): Dim | null {
  if (d.kind === 'DimNum') return d.value;
  if (d.kind === 'DimAny') return cx.anon();
  const r = lookupTop(scope, d.name);
  if (r.kind === 'top' && r.sym.kind === 'const') {
    const v = cx.constDim(r.sym);
    if (v === 'not-int') {
      cx.sink.error('TH0329', { name: d.name }, d.span);
      return null;
    }
    return v;
  }
  return d.name;
}

function reportUnknownType(te: TypeExpr, scope: ModuleScope, sink: DiagnosticSink): void {
  const aliases: string[] = [];
  for (const [n, s] of scope.decls) if (s.kind === 'type') aliases.push(n);
  for (const imp of scope.imports) for (const [n, s] of imp.scope.decls) if (s.kind === 'type') aliases.push(n);
  const near = nearbyNames(te.name.name, [...DTYPES, ...aliases]);
  const help: Help[] = near[0] ? [{ message: fillTemplate(semaLabels.similarName, { what: 'a type', name: near[0] }) }] : [];
  sink.error('TH0208', { name: te.name.name }, te.name.span, { help });
}
