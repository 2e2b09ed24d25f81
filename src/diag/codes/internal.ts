/** @file Internal-error wording (TH9xxx): a bug in thc, never in the user's program. */
import type { Catalog } from '../codes.js';

export const internalCodes: Catalog = {
  TH9001: {
    title: 'internal error',
    message: 'internal compiler error: {detail}',
    note: 'this is a bug in thc, not in your program',
    help: 'please report it with the program and the command that triggered it, and run with THC_DEBUG=stack for a stack trace',
  },
  TH9002: {
    title: 'rewrite did not converge',
    message: 'internal compiler error: rewrite stage `{stage}` did not reach a fixpoint after {limit} iterations',
    note: 'this is a bug in thc, not in your program',
    help: 'please report it; `--no-rewrite NAME` can disable the rule that loops',
  },
};
