/**
 * @file The `thc` entry point called by bin/thc.js: parses the command line (program.ts, with
 * commander) and runs the chosen command, enforcing the exit-status contract: 0 success, 1 a
 * diagnostic about the program or its inputs, 2 a usage error (one line on stderr), 3 an internal
 * error (TH9xxx). Start-up time is a measured target, so `thc check FILE` skips commander entirely
 * and every command is imported lazily. No exception ever escapes as a stack trace.
 */
import type { CliStreams } from './output.js';
import { createSink } from '../diag/sink.js';
import { type CliContext, EXIT, defaultContext, printDiagnostics, exitStatusFor } from './output.js';

export type { CliStreams } from './output.js';
/** bin/thc.js hands the bundle an import() of its own (see gpu/loader.ts). */
export { setImporter } from '../gpu/loader.js';

const processStreams: CliStreams = {
  out: t => { process.stdout.write(t); },
  err: t => { process.stderr.write(t); },
  get errIsTTY() { return process.stderr.isTTY === true; },
  get errColumns() { return process.stderr.columns; },
};

/**
 * A reader that goes away (`thc run ... | head -1`) makes writes fail with EPIPE, which Node
 * would report as an uncaught exception with a stack trace. There is nobody left to tell: stop quietly.
 */
function guardPipes(): void {
  const quit = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  };
  process.stdout.on('error', quit);
  process.stderr.on('error', quit);
}

/** `thc check FILE` with no options: the measured start-up case, handled without commander. */
const isPlainCheck = (argv: readonly string[]): boolean =>
  argv.length === 2 && argv[0] === 'check' && (argv[1] === '-' || !argv[1]!.startsWith('-'));

/** Parses argv (without `node` and the script) and runs the command; resolves to the exit status. */
export async function main(argv: readonly string[], io: CliStreams = processStreams): Promise<number> {
  let cx: CliContext | undefined;
  if (io === processStreams) guardPipes();
  try {
    if (isPlainCheck(argv)) {
      cx = defaultContext(io);
      return await (await import('./commands/check.js')).checkCommand(cx, argv[1]!);
    }
    const { parseCommandLine } = await import('./program.js');
    const parsed = await parseCommandLine(argv, io);
    if ('exit' in parsed) return parsed.exit;
    cx = parsed.cx;
    return await parsed.action(cx);
  } catch (e) {
    return reportCrash(e, io, cx);
  }
}

/** Last line of defence: an exception nothing else caught becomes TH9001, exit status 3. */
async function reportCrash(e: unknown, io: CliStreams, cx: CliContext | undefined): Promise<number> {
  const sink = createSink();
  try {
    const { reportInternal } = await import('../pipeline.js');
    reportInternal(sink, e);
    await printDiagnostics(sink.diagnostics, new Map(), cx ?? { ...defaultContext(io), color: false });
    return Math.max(exitStatusFor(sink.diagnostics), EXIT.internal);
  } catch {
    io.err(`error[TH9001]: internal compiler error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.internal;
  }
}
