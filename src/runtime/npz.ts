/**
 * @file .npz read and write: a zip of `NAME.npy` entries, as np.savez (stored) and
 * np.savez_compressed (deflated) write them, ZIP64 extra fields included (fflate reads those).
 * Names are the array names without the `.npy` suffix. Errors are ValueError TH062x naming the entry.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import type { NDArray } from './ndarray.js';
import { readNpy, writeNpy } from './npy.js';
import { ValueError } from './value-error.js';
import { fillTemplate, codeInfo } from '../diag/codes.js';

export function readNpz(bytes: Uint8Array): Map<string, NDArray> {
  const entries = unzipEntries(bytes);
  const out = new Map<string, NDArray>();
  for (const [entry, data] of entries) {
    if (!entry.endsWith('.npy')) throw new ValueError('TH0621', { entry });
    const name = entry.slice(0, -'.npy'.length);
    if (out.has(name)) throw new ValueError('TH0623', { entry });
    try {
      out.set(name, readNpy(data));
    } catch (e) {
      if (e instanceof ValueError) throw new ValueError('TH0622', { entry, reason: messageOf(e) });
      throw e;
    }
  }
  return out;
}

/** Stored (uncompressed) entries with a fixed timestamp, so equal inputs give equal bytes. */
export function writeNpz(arrays: ReadonlyMap<string, NDArray>): Uint8Array {
  const files: Zippable = {};
  for (const [name, a] of arrays) files[`${name}.npy`] = writeNpy(a);
  return zipSync(files, { level: 0, mtime: new Date(1980, 0, 1) });
}

/** The entries in archive order. fflate checks the structure; we name the entry that fails. */
function unzipEntries(bytes: Uint8Array): [string, Uint8Array][] {
  if (!hasEndRecord(bytes)) {
    throw new ValueError('TH0620', { reason: bytes.length === 0 ? 'it is empty' : 'it has no end-of-central-directory record' });
  }
  const order: string[] = [];
  let current: string | undefined;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: info => {
        current = info.name;
        order.push(info.name);
        return true;
      },
    });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    if (current === undefined) throw new ValueError('TH0620', { reason });
    throw new ValueError('TH0622', { entry: current, reason });
  }
  return order.map(name => [name, files[name]!]);
}

/** The end-of-central-directory signature PK\5\6 within the last 64 KiB + 22 bytes. */
function hasEndRecord(bytes: Uint8Array): boolean {
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 5 && bytes[i + 3] === 6) return true;
  }
  return false;
}

/** The catalog message of an inner error, used as the reason of the wrapping one. */
function messageOf(e: ValueError): string {
  return fillTemplate(codeInfo(e.code).message, e.args);
}
