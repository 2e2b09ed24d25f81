/**
 * @file A module-resolution hook (node:module `register`) that loads chevrotain from its published
 * single-file ES bundle (lib/chevrotain.mjs) instead of its package entry (lib/src/api.js), which
 * pulls in about two hundred lodash-es modules and dominates `thc` start-up time. Same code, same
 * exports; only the number of files read changes. Everything else resolves normally.
 */

interface ResolveResult { url: string; format?: string | null; shortCircuit?: boolean }
type NextResolve = (specifier: string, context: unknown) => Promise<ResolveResult>;

const ENTRY = '/chevrotain/lib/src/api.js';

export async function resolve(specifier: string, context: unknown, next: NextResolve): Promise<ResolveResult> {
  const r = await next(specifier, context);
  if (specifier === 'chevrotain' && r.url.endsWith(ENTRY)) {
    return { ...r, url: r.url.slice(0, -ENTRY.length) + '/chevrotain/lib/chevrotain.mjs', format: 'module' };
  }
  return r;
}
