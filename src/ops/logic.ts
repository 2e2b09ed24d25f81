/**
 * @file Comparisons (`== != < <= > >=`, bool results, NaN compares unequal to everything),
 * the logical operators `and or not` (bool operands only: anything else is TH0352 with a
 * `x != 0` help) and `where(cond, a, b)`.
 */
import { type TensorType, tensorType } from '../sema/types.js';
import { defineOp, type InferCx, type PrimitiveOp, type ScalarEmit } from './registry.js';
import { binary, broadcastRuntime, broadcastTypes, build, gradMath, offsetsFor, tensorParam, typeText } from './helpers.js';

const comparisons: Record<string, [(a: number, b: number) => number, string]> = {
  eq: [(a, b) => +(a === b), 'a == b'],
  ne: [(a, b) => +(a !== b), 'a != b'],
  lt: [(a, b) => +(a < b), 'a < b'],
  le: [(a, b) => +(a <= b), 'a <= b'],
  gt: [(a, b) => +(a > b), 'a > b'],
  ge: [(a, b) => +(a >= b), 'a >= b'],
};
/** WGSL orders numbers only: bool operands are compared as 0/1. */
const compareWgsl = (op: string): ScalarEmit => ([a, b], t) =>
  (t === 'bool' && op !== '==' && op !== '!=' ? `(u32(${a}) ${op} u32(${b}))` : `(${a} ${op} ${b})`);
const wgslOps: Record<string, string> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };
const jsOps: Record<string, string> = { eq: '===', ne: '!==', lt: '<', le: '<=', gt: '>', ge: '>=' };
for (const [name, [f, what]] of Object.entries(comparisons)) {
  binary(name, {
    doc: `${what} (elementwise, bool result; operands promoted like arithmetic)`, f, predicate: true, allowBool: true,
    wgsl: compareWgsl(wgslOps[name]!),
    // C compares bool (uint8_t 0/1) like numbers already.
    c: ([a, b]) => `(${a} ${wgslOps[name]!} ${b})`,
    js: ([a, b]) => `(${a} ${jsOps[name]!} ${b} ? 1 : 0)`,
    ...(name === 'eq' || name === 'ne' ? { flags: { commutative: true } } : {}),
  });
}

/** Logical ops take bool operands only; reports TH0352 on the first that is not. */
function boolOperands(symbol: string) {
  return (ts: readonly TensorType[], cx: InferCx): boolean => {
    const bad = ts.findIndex(t => t.dtype !== 'bool');
    if (bad < 0) return true;
    cx.error('TH0352', { op: symbol, type: typeText(ts[bad]!) }, { inputs: [bad] });
    return false;
  };
}

binary('logical_and', {
  doc: 'a and b (bool operands)', f: (a, b) => +(a !== 0 && b !== 0), predicate: true, allowBool: true,
  check: boolOperands('and'), flags: { commutative: true, associative: true }, wgsl: ([a, b]) => `(${a} && ${b})`, c: ([a, b]) => `(${a} && ${b})`, js: ([a, b]) => `(${a} & ${b})`,
});
binary('logical_or', {
  doc: 'a or b (bool operands)', f: (a, b) => +(a !== 0 || b !== 0), predicate: true, allowBool: true,
  check: boolOperands('or'), flags: { commutative: true, associative: true }, wgsl: ([a, b]) => `(${a} || ${b})`, c: ([a, b]) => `(${a} || ${b})`, js: ([a, b]) => `(${a} | ${b})`,
});

defineOp<PrimitiveOp>({
  kind: 'primitive', name: 'logical_not', builtin: false, doc: 'not x (bool operand)',
  params: [tensorParam('x')], flags: { elementwise: true },
  // JS: bools are 0 or 1, so `^ 1` is not.
  emit: { wgsl: ([a]) => `(!${a})`, c: ([a]) => `(!${a})`, js: ([a]) => `(${a} ^ 1)` },
  infer(ts, _attrs, cx) {
    if (!boolOperands('not')(ts, cx)) return undefined;
    return tensorType('bool', ts[0]!.shape);
  },
  eval([x]) {
    const d = x!.data;
    return build('bool', x!.shape, k => +(d[k] === 0));
  },
});

defineOp<PrimitiveOp>({
  kind: 'primitive', name: 'where', builtin: true,
  doc: 'where(cond, a, b): a where cond is true, else b (cond must be bool; a and b are promoted together)',
  params: [tensorParam('cond'), tensorParam('a'), tensorParam('b')],
  flags: { elementwise: true },
  promote: { inputs: [1, 2] },
  // WGSL's select takes the false value first.
  emit: { wgsl: ([c, a, b]) => `select(${b}, ${a}, ${c})`, c: ([c, a, b]) => `(${c} ? ${a} : ${b})`, js: ([c, a, b]) => `(${c} !== 0 ? ${a} : ${b})` },
  infer(ts, _attrs, cx) {
    if (ts[0]!.dtype !== 'bool') return cx.error('TH0353', { type: typeText(ts[0]!) }, { inputs: [0] });
    const shape = broadcastTypes(ts, [0, 1, 2], 'where', cx);
    return shape && tensorType(ts[1]!.dtype, shape);
  },
  // d where(c, a, b) = where(c, g, 0), where(c, 0, g); the condition has none
  grad(g, y, b) {
    const m = gradMath(b, y), c = y.inputs[0]!, zero = m.c(0);
    return [null, m.where(c, g, zero), m.where(c, zero, g)];
  },
  eval([c, a, b]) {
    const shape = broadcastRuntime([c!.shape, a!.shape, b!.shape]);
    const oc = offsetsFor(shape, c!.shape), oa = offsetsFor(shape, a!.shape), ob = offsetsFor(shape, b!.shape);
    const dc = c!.data, da = a!.data, db = b!.data;
    return build(a!.dtype, shape, k => (dc[oc[k]!] ? da[oa[k]!]! : db[ob[k]!]!));
  },
});
