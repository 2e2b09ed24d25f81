/** @file Diagnostic wording owned by the run phase (see codes.ts for the ranges). */
import type { Catalog } from '../codes.js';

export const runCodes: Catalog = {
};
