/**
 * @file The commander program for `thc`: commands, options, help texts with examples, and the
 * mapping of commander's own errors (unknown option or command, bad choice, missing argument) to
 * one-line usage errors with exit status 2. Produces the chosen command's action and context;
 * main.ts runs it. Loaded lazily: `thc check FILE` takes a fast path that never loads commander.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { UsageError, deviceWithBackend, parseBinding, parsePositive, parseSteps } from './args.js';
import { type CliContext, type CliStreams, type DiagnosticsFormat, EXIT, defaultContext, printUsageError } from './output.js';

interface GlobalOptions {
  diagnostics: DiagnosticsFormat;
  color?: boolean;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function contextFrom(cmd: Command, io: CliStreams): CliContext {
  const g = cmd.optsWithGlobals() as GlobalOptions;
  return { ...defaultContext(io), diagnostics: g.diagnostics, ...(g.color === undefined ? {} : { color: g.color }) };
}

const stepsArg = (v: string): number => {
  try { return parseSteps(v); } catch (e) { throw new InvalidArgumentError((e as Error).message); }
};

const EXAMPLES = {
  check: `
Examples:
  $ thc check model.th
  $ cat model.th | thc check -
  $ thc --diagnostics json check model.th`,
  graph: `
Examples:
  $ thc graph logistic.th
  $ thc graph model.th --fn train --stage graph
  $ thc graph model.th --fn predict --format dot | dot -Tsvg > predict.svg
  $ thc graph model.th --stage ast
  $ thc graph model.th --fn train --stage grad
  $ thc graph model.th --fn train --stage kernels
  $ thc graph model.th --trace > /dev/null
  $ thc graph model.th --trace --no-rewrite log1p`,
  run: `
Arguments are NAME=VALUE, where VALUE is a JSON number, boolean or nested list,
or @path to a .npy or .json file.

Examples:
  $ thc run logistic.th x='[[0, 1], [-1, -2]]'
  $ thc run model.th --fn predict x=@images.npy
  $ thc run model.th --fn train x=@x.npy y=@y.npy lr=0.05 --steps 100 --save-state w.npz
  $ thc run model.th --fn predict x=@x.npy --load-state w.npz --format json
  $ thc run model.th --fn train x=@x.npy y=@y.npy --steps 10 --check
  $ thc run model.th x='[1.0, 2.0]' --nan-guard
  $ thc run model.th --fn train --steps 100 --device cpu   # as generated C (needs cc, gcc or clang)
  $ thc run model.th --fn train --steps 100 --device gpu   # on the GPU (WebGPU: a Vulkan driver on Linux)
  $ thc run model.th x='[1.0, 2.0]' --device interp --verbose

Devices: auto (the default) runs on the GPU when an adapter exists and the program
can run there (no f64), else on the CPU; cpu runs generated C, or the reference
interpreter with a one-line note when there is no C compiler or the C backend
cannot compile the program; interp is the reference interpreter.`,
  gradcheck: `
Arguments are NAME=VALUE, as for 'thc run'. Every grad(cost, x) of the entry point is
compared with central finite differences of cost, element by element of x.

Examples:
  $ thc gradcheck model.th --fn train x=@x.npy y=@y.npy
  $ thc gradcheck model.th x='[0.5, -1.0]' --tolerance 1e-8
  $ thc gradcheck model.th --fn train x=@x.npy y=@y.npy --load-state w.npz`,
  'gpu-info': `
Prints the WebGPU adapter thc would run on (through Dawn, the 'webgpu' package):
its description, vendor and architecture, features, and the limits a default
device gets next to the adapter's own. Without an adapter: error TH0503, exit 1.

Examples:
  $ thc gpu-info
  $ thc gpu-info --format json`,
  compile: `
Examples:
  $ thc compile model.th --target wgsl          # every kernel's WGSL on stdout
  $ thc compile model.th --target c > model.c   # one C99 file (API + harness under THC_MAIN)
  $ thc compile model.th --target wgsl -o build/ # the WebGPU host module (.wgsl, .js, .d.ts)
  $ thc compile model.th --target js -o build/   # a standalone ES module on typed arrays (.js, .d.ts)`,
};

/** commander's way to collect a repeatable option's values. */
const collect = (v: string, acc: string[] | false): string[] => [...(Array.isArray(acc) ? acc : []), v];

/** A positive finite number for `--tolerance` and `--eps`. */
const positiveArg = (flag: string) => (v: string): number => {
  try { return parsePositive(flag, v); } catch (e) { throw new InvalidArgumentError((e as Error).message); }
};

/** commander's error text as one line, with where to read more. */
const oneLine = (t: string, help: string): string => `${t.trim().split('\n').map(l => l.trim()).join(' ')} (see '${help}')\n`;

/** A parsed command, ready to run. */
export type Action = (cx: CliContext) => Promise<number>;

/** Builds the commander program; `run(action)` records the chosen command for main to execute. */
function buildProgram(io: CliStreams, stages: { names: readonly string[]; fallback: string } | undefined, setAction: (cmd: Command, a: Action) => void): Command {
  const program = new Command('thc')
    .description('thc: an ahead-of-time compiler for .th tensor programs')
    .version(packageVersion(), '-V, --version')
    .addOption(new Option('--diagnostics <format>', 'how diagnostics are printed on stderr: text, or json (one object per line)').choices(['text', 'json']).default('text'))
    .option('--color', 'colour diagnostics (default: when stderr is a terminal and NO_COLOR is unset)')
    .option('--no-color', 'never colour diagnostics')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: t => io.out(t),
      writeErr: t => io.err(t),
      // commander's own errors (unknown option, missing argument, bad choice) become one usage line.
      outputError: (t, write) => write(oneLine(t, 'thc --help')),
    });
  program.addHelpText('after', `
Exit status: 0 success, 1 a diagnostic about the program or its inputs, 2 a usage error,
3 an internal error. Use '-' as FILE to read the program from standard input.`);

  const check = program.command('check').description('parse and type-check FILE; diagnostics only')
    .argument('<file>', 'a .th program, or - for standard input')
    .addHelpText('after', EXAMPLES.check);
  check.action(async (file: string) => setAction(check, async cx => (await import('./commands/check.js')).checkCommand(cx, file)));

  const stageOpt = new Option('--stage <stage>', 'print after this pipeline stage');
  if (stages) stageOpt.choices(stages.names).default(stages.fallback);
  const graph = program.command('graph').description("print an entry point's graph (or the AST)")
    .argument('<file>', 'a .th program, or - for standard input')
    .option('--fn <name>', 'the entry point (optional when FILE has only one)')
    .addOption(stageOpt)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'dot', 'json']).default('text'))
    .option('--trace', 'list every rewrite rule that fired, in order, on stderr')
    .option('--no-rewrite <rule>', 'disable a rewrite rule (repeatable)', collect, [])
    .addHelpText('after', EXAMPLES.graph);
  graph.action(async (file: string, o: { fn?: string; stage: string; format: 'text' | 'dot' | 'json'; trace?: boolean; rewrite: string[] | false }) =>
    setAction(graph, async cx => (await import('./commands/graph.js')).graphCommand(cx, file, {
      ...(o.fn === undefined ? {} : { fn: o.fn }), stage: o.stage as 'graph', format: o.format, trace: o.trace === true,
      noRewrite: Array.isArray(o.rewrite) ? o.rewrite : [],
    })));

  const run = program.command('run').description('run an entry point (on the GPU when it can, else on the CPU) and print its outputs')
    .argument('<file>', 'a .th program, or - for standard input')
    .argument('[bindings...]', 'NAME=VALUE arguments (VALUE: JSON, or @file.npy / @file.json)')
    .option('--fn <name>', 'the entry point (optional when FILE has only one)')
    .addOption(new Option('--device <device>', 'where to run: gpu (WebGPU), cpu (generated C; the interpreter without a C compiler), interp (the reference interpreter), auto (gpu when an adapter exists and the program can run there, else cpu)').choices(['auto', 'gpu', 'cpu', 'interp']).default('auto'))
    .addOption(new Option('--backend <backend>', 'deprecated: c means --device cpu, interp --device interp').choices(['interp', 'c']).hideHelp())
    .addOption(new Option('--steps <N>', 'call the function N times, carrying shared state').argParser(stepsArg).default(1))
    .option('--load-state <file.npz>', 'read the shared variables from this file instead of their initialisers')
    .option('--save-state <file.npz>', 'write every shared variable to this file after the last call')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--check', 'also run the unoptimized graph and report the first output that differs (interpreter)')
    .option('--nan-guard', 'stop at the first operation that produces NaN or inf (interpreter)')
    .option('--verbose', 'say on stderr which engine ran the entry point, and why')
    .option('--no-progress', 'no progress bar for --steps N (it only appears when stderr is a terminal)')
    .addHelpText('after', EXAMPLES.run);
  run.action(async (file: string, bindings: string[], o: { fn?: string; device: 'auto' | 'gpu' | 'cpu' | 'interp'; backend?: 'interp' | 'c'; steps: number; loadState?: string; saveState?: string; format: 'text' | 'json'; check?: boolean; nanGuard?: boolean; verbose?: boolean; progress: boolean }) => {
    const parsed = bindings.map(parseBinding); // throws UsageError before anything is compiled
    const device = deviceWithBackend(o.device, o.backend);
    setAction(run, async cx => (await import('./commands/run.js')).runCommand(cx, file, { ...o, device, bindings: parsed }));
  });

  const gradcheck = program.command('gradcheck').description("compare an entry point's gradients with finite differences")
    .argument('<file>', 'a .th program, or - for standard input')
    .argument('[bindings...]', 'NAME=VALUE arguments (VALUE: JSON, or @file.npy / @file.json)')
    .option('--fn <name>', 'the entry point (optional when FILE has only one)')
    .addOption(new Option('--tolerance <T>', 'the largest relative error accepted (default: 1e-6 for f64, 1e-3 for f32, 5e-2 for f16)').argParser(positiveArg('--tolerance')))
    .addOption(new Option('--eps <E>', 'the finite-difference step, relative to max(1, |x|) (default: 1e-6 in f64)').argParser(positiveArg('--eps')))
    .option('--load-state <file.npz>', 'read the shared variables from this file instead of their initialisers')
    .addHelpText('after', EXAMPLES.gradcheck);
  gradcheck.action(async (file: string, bindings: string[], o: { fn?: string; tolerance?: number; eps?: number; loadState?: string }) => {
    const parsed = bindings.map(parseBinding);
    setAction(gradcheck, async cx => (await import('./commands/gradcheck.js')).gradcheckCommand(cx, file, { ...o, bindings: parsed }));
  });

  const compile = program.command('compile').description('emit code for a target (wgsl, js or c to stdout; -o DIR writes the wgsl and js modules)')
    .argument('<file>', 'a .th program, or - for standard input')
    .addOption(new Option('--target <target>', 'the code to emit').choices(['wgsl', 'js', 'c']).makeOptionMandatory())
    .option('-o, --out-dir <dir>', 'write files here (default: print to stdout)')
    .addHelpText('after', EXAMPLES.compile);
  compile.action(async (file: string, o: { target: 'wgsl' | 'js' | 'c'; outDir?: string }) =>
    setAction(compile, async cx => (await import('./commands/compile.js')).compileCommand(cx, file, o)));

  const gpuInfo = program.command('gpu-info').description('describe the GPU adapter (WebGPU through Dawn) and its limits')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', EXAMPLES['gpu-info']);
  gpuInfo.action(async (o: { format: 'text' | 'json' }) =>
    setAction(gpuInfo, async cx => (await import('./commands/gpu-info.js')).gpuInfoCommand(cx, o)));

  for (const c of program.commands) {
    c.exitOverride().showSuggestionAfterError(true).configureOutput({
      writeOut: t => io.out(t),
      writeErr: t => io.err(t),
      outputError: (t, write) => write(oneLine(t, `thc ${c.name()} --help`)),
    });
  }
  return program;
}

/**
 * Parses argv with commander. Returns the chosen command's action and context, or the exit status
 * when nothing is left to run (help, version: 0; any usage error: 2, already printed).
 */
export async function parseCommandLine(argv: readonly string[], io: CliStreams): Promise<{ action: Action; cx: CliContext } | { exit: number }> {
  let chosen: { cmd: Command; action: Action } | undefined;
  try {
    // Stage names come from the pipeline; load it only when `graph` needs them.
    const pipeline = argv.includes('graph') ? await import('../pipeline.js') : undefined;
    const stages = pipeline && { names: pipeline.STAGES, fallback: pipeline.DEFAULT_STAGE };
    const program = buildProgram(io, stages, (cmd, action) => { chosen = { cmd, action }; });
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return { exit: e.exitCode === 0 ? EXIT.ok : EXIT.usage };
    if (e instanceof UsageError) {
      printUsageError(e.message, defaultContext(io), 'run');
      return { exit: EXIT.usage };
    }
    throw e;
  }
  if (!chosen) return { exit: EXIT.usage };
  return { action: chosen.action, cx: contextFrom(chosen.cmd, io) };
}
