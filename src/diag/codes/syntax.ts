/** @file Diagnostic wording owned by the syntax phase (see codes.ts for the ranges). */
import type { Catalog } from '../codes.js';

export const syntaxCodes: Catalog = {
};
