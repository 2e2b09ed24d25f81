/**
 * @file STUB (owned by the ops work): importing this module registers every op family.
 */
export {};
