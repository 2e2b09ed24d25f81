/**
 * @file `thc check FILE`: parse and type-check every entry point; diagnostics only (stdout stays
 * empty). Exit status 0 when there is no error. Stops after the `graph` stage: every user error
 * (types, shapes, `grad` targets) is reported there; the rewrite stages cannot add any.
 */
import type { CliContext } from '../output.js';
import { compileFile, createSession, finish } from '../session.js';

export async function checkCommand(cx: CliContext, file: string): Promise<number> {
  const s = createSession(cx, file);
  await compileFile(s, file, { stopAfter: 'graph' });
  return finish(s);
}
