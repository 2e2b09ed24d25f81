/**
 * @file Diagnostic wording owned by the run phase (see codes.ts for the ranges). TH0501 (a target
 * not available yet) and TH0502 ("no GPU backend") are retired: every target exists; codes/gpu.ts
 * has TH0503-TH0509, no GPU device; codes/wgsl.ts TH0520-TH0529), and TH0650-TH0689 run-time problems with what the command line
 * supplies (source files, `NAME=VALUE` arguments, `--fn`, shared-state files); TH0680-TH0685 the
 * debugging aids (`thc run --nan-guard`, `thc run --check`, `thc gradcheck`).
 */
import type { Catalog } from '../codes.js';

export const runCodes: Catalog = {
  // ---------------------------------------------------------------- source file and entry point
  TH0650: {
    title: 'cannot read source file',
    message: 'cannot read `{path}`: {reason}',
  },
  TH0651: {
    title: 'no entry point',
    message: '`{file}` has no entry point to run',
    note: 'an entry point is a function whose parameters all have types',
  },
  TH0652: {
    title: 'ambiguous entry point',
    message: '`{file}` has {count} entry points and no `--fn` chooses one: {names}',
    help: 'choose one with `--fn NAME`, e.g. `--fn {first}`',
  },
  TH0653: {
    title: 'unknown entry point',
    message: '`{file}` has no entry point named `{name}`',
    note: 'entry points: {names}',
  },

  // ---------------------------------------------------------------- arguments (NAME=VALUE)
  TH0655: {
    title: 'missing argument',
    message: 'missing argument `{name}` for `{fn}`, declared {type}',
    label: '`{name}` is declared here without a default',
    help: 'pass it on the command line as `{name}=VALUE`',
  },
  TH0656: {
    title: 'unknown argument',
    message: '`{fn}` has no parameter named `{name}`',
    note: 'parameters of `{fn}`: {names}',
  },
  TH0657: {
    title: 'duplicate argument',
    message: 'argument `{name}` is given more than once',
    note: 'first given as `{first}`, then as `{second}`',
  },
  TH0658: {
    title: 'invalid JSON argument',
    message: 'argument `{name}` is not a JSON number, boolean or array: {detail}',
    note: 'the value given was `{text}`',
    help: 'write numbers and nested lists in JSON syntax, e.g. `{name}=[[1, 2], [3, 4]]`, or pass `{name}=@file.npy`',
  },
  TH0659: {
    title: 'cannot read argument file',
    message: 'cannot read `{path}` for argument `{name}`: {reason}',
  },
  TH0660: {
    title: 'unsupported argument file',
    message: 'cannot read `{path}` for argument `{name}`: unsupported file type `{ext}`',
    help: 'pass a `.npy` file (numpy.save) or a `.json` file holding a number or nested list',
  },
  TH0661: {
    title: 'invalid argument value',
    message: 'invalid value for argument `{name}`{source}: {detail}',
  },
  TH0662: {
    title: 'argument dtype mismatch',
    message: 'argument `{name}`{source} has dtype {got} but `{name}` is declared {type}',
    label: '`{name}` is declared {type} here',
    note: '{got} does not convert to {dtype} without loss (numpy `can_cast(..., "safe")` is false)',
  },
  TH0663: {
    title: 'argument rank mismatch',
    message: 'argument `{name}`{source} has shape {shape} ({got} dimensions) but `{name}` is declared {type} ({rank} dimensions)',
    label: '`{name}` is declared {type} here',
  },
  TH0664: {
    title: 'argument size mismatch',
    message: 'argument `{name}`{source} has shape {shape} but `{name}` is declared {type}: axis {axis} must be {expected}, not {got}',
    label: '`{name}` is declared {type} here',
  },
  TH0665: {
    title: 'inconsistent dimension',
    message: 'dimension `{dim}` is {a} from `{first}` but {b} from `{second}`',
    label: '`{second}` is declared {type} here',
    note: 'a dimension name stands for one size in the whole signature',
  },
  TH0666: {
    title: 'boolean for a number',
    message: 'argument `{name}`{source} holds booleans but `{name}` is declared {type}',
    label: '`{name}` is declared {type} here',
    help: 'write numbers (`1`, `0`) for a numeric parameter',
  },
  TH0667: {
    title: 'invalid JSON file',
    message: '`{path}` for argument `{name}` is not valid JSON: {detail}',
  },
  TH0668: {
    title: 'JSON value of the wrong kind',
    message: 'argument `{name}`{source} is a JSON {what}, not a number, boolean or nested list',
    help: 'write numbers and nested lists, e.g. `{name}=[[1, 2], [3, 4]]`',
  },

  // ---------------------------------------------------------------- shared state
  TH0670: {
    title: 'cannot load shared initial value',
    message: 'cannot load the initial value of shared `{name}` from `{path}`: {reason}',
    label: '`{name}` is initialised from this file',
  },
  TH0671: {
    title: 'shared initial value mismatch',
    message: '`{path}` holds {got} but shared `{name}` is declared {type}',
    label: '`{name}` is declared {type} here',
  },
  TH0672: {
    title: 'cannot read state file',
    message: 'cannot read state file `{path}`: {reason}',
  },
  TH0673: {
    title: 'missing state entry',
    message: 'state file `{path}` has no entry `{name}` for shared `{name}`',
    label: 'shared `{name}` is declared here',
    note: 'entries in the file: {names}',
  },
  TH0674: {
    title: 'extra state entry',
    message: 'state file `{path}` has an entry `{name}` that is not a shared variable of this program',
    note: 'shared variables of this program: {names}',
  },
  TH0675: {
    title: 'state entry mismatch',
    message: 'entry `{name}` of state file `{path}` is {got} but shared `{name}` is declared {type}',
    label: 'shared `{name}` is declared {type} here',
  },
  TH0676: {
    title: 'cannot write state file',
    message: 'cannot write state file `{path}`: {reason}',
    note: 'the previous contents of `{path}`, if any, are unchanged',
  },

  // ---------------------------------------------------------------- debugging aids
  TH0680: {
    title: 'non-finite value',
    message: '`{op}` produced {what} at index {index} ({count} of {size} elements are not finite)',
    label: 'the first non-finite value is computed here',
    note: '`--nan-guard` stops at the first node, in evaluation order, whose result holds NaN or an infinity',
    explain: 'Reported by `thc run --nan-guard`. The interpreter checks the result of every operation as it is computed and stops at the first one holding NaN, `inf` or `-inf`, pointing at the expression of the source program it came from (rewritten nodes keep the span of the expression they replace). Inputs and constants are not checked themselves: an argument holding NaN is reported at the first operation that uses it. Values that a `where` later discards are still checked, as in Theano\'s NanGuardMode.',
  },
  TH0681: {
    title: 'optimized graph differs',
    message: '{what} `{name}` differs between the unoptimized and the optimized graph at step {step}: at index {index} the optimized graph gives {got}, the unoptimized {want}',
    label: '`{name}` comes from here',
    note: 'relative error {err} exceeds the tolerance for {dtype} (rtol {rtol}, atol {atol}); {count} of {size} elements differ',
    explain: 'Reported by `thc run --check`, which runs the graph after the `grad` stage (no rewrites) and the `optimized` graph on the same inputs and state at every step and compares every output and update: NaN equals NaN, infinities must match exactly, other elements must satisfy `|optimized - unoptimized| <= atol + rtol * |unoptimized|`. A stable rewrite legitimately differs where the naive formula overflows (the unoptimized value is then `inf` or NaN); anything else is a bug in a rewrite rule: `thc graph --trace` lists the rules that fired and `--no-rewrite NAME` disables one.',
  },
  TH0682: {
    title: 'optimized graph has another shape or dtype',
    message: '{what} `{name}` is {got} in the optimized graph but {want} in the unoptimized one at step {step}',
    label: '`{name}` comes from here',
  },
  TH0685: {
    title: 'optimized graph is finite where the unoptimized is not',
    message: '{what} `{name}` differs between the unoptimized and the optimized graph at step {step}: at index {index} the optimized graph gives {got}, the unoptimized {want}',
    label: '`{name}` comes from here',
    note: 'the unoptimized graph evaluates the formula as written, which overflows here; a stabilizing rewrite (listed by `thc graph --trace`) computes it without overflow',
    help: 'this is the optimizer at work, not a bug: to compare elsewhere, pass inputs where the formula as written stays finite',
  },
  TH0683: {
    title: 'gradient check failed',
    message: 'the gradient with respect to `{target}` differs from finite differences: relative error {err} at index {index} exceeds the tolerance {tol}',
    label: 'this gradient',
    note: 'analytic {analytic}, numeric {numeric} (central differences with step {eps})',
    explain: 'Reported by `thc gradcheck`, which compares each `grad` of an entry point with central finite differences of its cost, element by element, and reports the worst relative error `|analytic - numeric| / max(1, |analytic|, |numeric|)`. A failure means the gradient is wrong, or that the cost is not differentiable at the point checked: at a kink (`maximum(x, 0)` or `abs` at 0, `where` switching at that point) the finite difference averages the two one-sided slopes. Move the inputs away from the kink or raise `--tolerance`.',
  },
  TH0684: {
    title: 'no gradient to check',
    message: '`{fn}` has no `grad` expression, so there is no gradient to check',
    label: '`{fn}` is defined here',
    help: '`thc gradcheck` checks the `grad(cost, x)` expressions of an entry point; choose another with `--fn NAME`',
  },
};

/**
 * One-line notes of `thc run` (printed as `note: ...`, not diagnostics: nothing is wrong with the
 * program): where `--device cpu`/`auto` ran instead of generated C (the JS target, or the
 * interpreter when the JS target refuses too), the deprecated `--backend`, and
 * the engine `--verbose` reports.
 */
export const deviceNotes = {
  noCompiler: 'no C compiler found (tried {tried}); running on the JS target',
  cRefused: 'the C backend cannot run this program ({why}); running on the JS target',
  noCompilerNoJs: 'no C compiler found (tried {tried}), and the JS target cannot run this program ({why}); running on the reference interpreter',
  cpuRefused: 'the C backend cannot run this program ({why}), nor can the JS target ({jsWhy}); running on the reference interpreter',
  backendDeprecated: '`--backend {backend}` is deprecated; it means `--device {device}` now',
  sizesBroken: '{where}: sizes {av} and {bv} meet here in this call, where the compiled kernels assume equal sizes (only the interpreter broadcasts `_` dimensions at run time); running on the reference interpreter',
  chose: '--device {device}: running `{fn}` on {engine}{why}',
} as const;
