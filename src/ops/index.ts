/**
 * @file Importing this module registers every op family in the op table (ops/registry.ts).
 * Order does not matter: families only call `defineOp`; composites look ops up when expanded.
 */
import './elementwise.js';
import './logic.js';
import './reduce.js';
import './shape.js';
import './indexing.js';
import './linalg.js';
import './random.js';
import './grad-op.js';
