/** @file Diagnostic wording owned by the ops phase (see codes.ts for the ranges). */
import type { Catalog } from '../codes.js';

export const opCodes: Catalog = {
};
