/**
 * @file ValueError: a problem with a value coming from outside the program (a .npy/.npz/.json file,
 * a command-line binding). Carries a catalog code and template args; the CLI turns it into a
 * diagnostic that names the argument or file.
 */
import type { DiagArgs } from '../diag/diagnostic.js';

export class ValueError extends Error {
  constructor(readonly code: string, readonly args: DiagArgs) {
    super(`${code}: ${JSON.stringify(args)}`);
  }
}
