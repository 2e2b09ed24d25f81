/**
 * @file WebGPU errors as data. WebGPU reports a bad call (an invalid shader, too many storage
 * buffers, an unsupported type) asynchronously, not by throwing: `captureErrors` wraps a batch of
 * calls in error scopes (validation, out-of-memory, internal) and returns what they caught, and
 * `compilationMessages` lists a shader module's messages with their line:column. Errors no scope
 * caught are recorded by device.ts (the `uncapturederror` listener), never printed by Dawn.
 */

/** One WebGPU error, whichever scope or listener caught it. */
export interface GpuErrorRecord {
  readonly kind: 'validation' | 'out-of-memory' | 'internal' | 'unknown';
  /** Dawn's message, which names the call and the object (`While calling [Device].CreateShaderModule`). */
  readonly message: string;
}

/** A GPUError as a record; the kind comes from its class (GPUValidationError, ...). */
export function errorRecord(e: GPUError): GpuErrorRecord {
  const name = e.constructor?.name ?? '';
  const kind = name === 'GPUValidationError' ? 'validation'
    : name === 'GPUOutOfMemoryError' ? 'out-of-memory'
      : name === 'GPUInternalError' ? 'internal' : 'unknown';
  return { kind, message: e.message };
}

/** Scopes are a stack: pushed in this order, popped in reverse. */
const FILTERS: readonly GPUErrorFilter[] = ['internal', 'out-of-memory', 'validation'];

/**
 * Runs `body` inside validation, out-of-memory and internal error scopes and returns its value
 * with every error those scopes caught (an empty list: everything in `body` was valid). The scopes
 * are popped even when `body` throws (Dawn throws synchronously only for JavaScript-level misuse,
 * such as an unknown enum string), and the exception is then rethrown.
 * NOTE: errors of work that `body` merely submits to the queue and that surface later still land
 * here, because a scope covers every call made while it is open, whatever its completion time.
 */
export async function captureErrors<T>(device: GPUDevice, body: () => T | Promise<T>): Promise<{ value: T; errors: GpuErrorRecord[] }> {
  for (const f of FILTERS) device.pushErrorScope(f);
  let outcome: { ok: true; value: T } | { ok: false; thrown: unknown };
  try {
    outcome = { ok: true, value: await body() };
  } catch (thrown) {
    outcome = { ok: false, thrown };
  }
  const errors: GpuErrorRecord[] = [];
  for (let i = 0; i < FILTERS.length; i++) {
    const e = await device.popErrorScope();
    if (e) errors.push(errorRecord(e));
  }
  if (!outcome.ok) throw outcome.thrown;
  return { value: outcome.value, errors };
}

/** `error 1:51 type 'bool' cannot be used ...` for each message of a compiled shader module. */
export async function compilationMessages(module: GPUShaderModule): Promise<string[]> {
  const info = await module.getCompilationInfo();
  return info.messages.map(m => `${m.type} ${m.lineNum}:${m.linePos} ${m.message}`);
}
