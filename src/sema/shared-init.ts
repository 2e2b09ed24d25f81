/**
 * @file Shared variables: the declared (concrete) type plus the initializer, as a SharedVar.
 * Initializers: none or `zeros` (fill 0), `ones`, a number (fill), an array literal (exact shape),
 * `uniform(lo, hi, seed=S)` / `normal(mean, std, seed=S)` (the op gets the declared shape and
 * dtype), or `load("file.npy")` (a path relative to the declaring file). Anything else is TH0321.
 */
import { dirname, resolve } from 'node:path';
import type { CallExpr, Expr } from '../syntax/ast.js';
import type { Node } from '../graph/node.js';
import type { SharedInit, SharedVar } from '../graph/graph.js';
import { isPoison } from '../graph/builder.js';
import { getOp, type AttrValue } from '../ops/registry.js';
import { fromNumbers, type NDArray } from '../runtime/ndarray.js';
import { typeToString, widensTo, type TensorType } from './types.js';
import type { SharedSym } from './scope.js';
import { newFrame, type ElabCtx, type Frame } from './elab-values.js';
import { asTensor, elabTensor, sharedType } from './elab-expr.js';
import { callBuiltin } from './elab-call.js';
import { foldConst, foldNumber } from './static-eval.js';

export function elabShared(ctx: ElabCtx, sym: SharedSym): SharedVar | null {
  const type = sharedType(ctx, sym);
  if (!type) return null;
  const decl = sym.decl;
  const frame = newFrame(sym.scope, `<shared ${sym.name}>`);
  const init = ctx.b.at(decl.init?.span ?? decl.span, () => initOf(ctx, frame, sym, type, decl.init));
  return init ? { name: sym.qualified, type, init, span: decl.span } : null;
}

function initOf(ctx: ElabCtx, frame: Frame, sym: SharedSym, type: TensorType, e: Expr | null): SharedInit | null {
  const expr = (node: Node | null): SharedInit | null => (node && !isPoison(node) ? { kind: 'expr', node } : null);
  if (e === null) return expr(fill(ctx, type, 0));
  const unsupported = (): null => { ctx.sink.error('TH0321', { name: sym.name }, e.span); return null; };
  switch (e.kind) {
    case 'Paren': return initOf(ctx, frame, sym, type, e.expr);
    case 'Number': case 'Unary': return expr(fillWith(ctx, frame, sym, type, e));
    case 'Array': return expr(arrayInit(ctx, frame, sym, type, e));
    case 'Name':
      if (e.name === 'zeros' || e.name === 'ones') return expr(fill(ctx, type, e.name === 'ones' ? 1 : 0));
      return unsupported();
    case 'Call': {
      const callee = e.callee.kind === 'Name' ? e.callee.name : '';
      if ((callee === 'zeros' || callee === 'ones') && e.args.length === 0) return expr(fill(ctx, type, callee === 'ones' ? 1 : 0));
      if (callee === 'uniform' || callee === 'normal') return expr(randomInit(ctx, frame, type, callee, e));
      if (callee === 'load') return loadInit(ctx, sym, e) ?? unsupported();
      return unsupported();
    }
    default: return unsupported();
  }
}

/**
 * A fill is `broadcast(scalar, shape)`, evaluated when the state is created: a compile-time array
 * of the whole shape would cost memory and interning time in proportion to the variable's size.
 */
function fill(ctx: ElabCtx, type: TensorType, value: number): Node {
  const b = ctx.b;
  const s = b.scalar(value, type.dtype);
  return type.shape.length === 0 ? s : b.op('broadcast', [s], { shape: type.shape as number[] });
}

function fillWith(ctx: ElabCtx, frame: Frame, sym: SharedSym, type: TensorType, e: Expr): Node | null {
  const node = elabTensor(ctx, frame, e);
  if (isPoison(node)) return null;
  const v = foldNumber(node);
  if (v === undefined) { ctx.sink.error('TH0321', { name: sym.name }, e.span); return null; }
  if (!widensTo(node.type, type.dtype)) {
    ctx.sink.error('TH0323', { name: sym.name, actual: typeToString(node.type), expected: typeToString(type) }, e.span);
    return null;
  }
  return fill(ctx, type, v);
}

function arrayInit(ctx: ElabCtx, frame: Frame, sym: SharedSym, type: TensorType, e: Expr): Node | null {
  const node = elabTensor(ctx, frame, e);
  if (isPoison(node)) return null;
  const c: NDArray | undefined = foldConst(node);
  if (!c) { ctx.sink.error('TH0321', { name: sym.name }, e.span); return null; }
  const want = type.shape as number[];
  if (c.shape.length !== want.length || c.shape.some((d, i) => d !== want[i])) {
    const text = (s: readonly number[]) => `[${s.join(', ')}]`;
    ctx.sink.error('TH0322', { name: sym.name, actual: text(c.shape), expected: text(want) }, e.span);
    return null;
  }
  if (!widensTo(node.type, type.dtype)) {
    ctx.sink.error('TH0323', { name: sym.name, actual: typeToString(node.type), expected: typeToString(type) }, e.span);
    return null;
  }
  return ctx.b.constant(fromNumbers(type.dtype, want, c.data));
}

function randomInit(ctx: ElabCtx, frame: Frame, type: TensorType, name: string, e: CallExpr): Node | null {
  const params = getOp(name)?.params ?? [];
  const preset: Record<string, AttrValue> = { shape: [...type.shape] };
  if (params.some(p => p.name === 'dtype')) preset['dtype'] = type.dtype;
  const v = callBuiltin(ctx, frame, name, e, preset);
  const node = asTensor(ctx, v, e.span);
  if (isPoison(node)) return null;
  return node.type.dtype === type.dtype ? node : ctx.b.cast(node, type.dtype);
}

function loadInit(ctx: ElabCtx, sym: SharedSym, e: CallExpr): SharedInit | null {
  const arg = e.args.length === 1 && e.args[0]!.name === null ? e.args[0]!.value : null;
  if (!arg || arg.kind !== 'String') return null;
  const from = sym.scope.module.path === '<stdin>' ? process.cwd() : dirname(sym.scope.module.path);
  return { kind: 'load', path: resolve(from, arg.value), span: e.span };
}
