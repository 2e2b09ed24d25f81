/** @file Diagnostic wording owned by the values phase (see codes.ts for the ranges). */
import type { Catalog } from '../codes.js';

export const valueCodes: Catalog = {
};
