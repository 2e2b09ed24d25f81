/** @file Diagnostic wording owned by the sema phase (see codes.ts for the ranges). */
import type { Catalog } from '../codes.js';

export const semaCodes: Catalog = {
};
