/**
 * @file .npy read (format versions 1.0/2.0/3.0) and write (1.0, or 2.0 when the header needs it),
 * little-endian, C order, the core dtypes `<f2 <f4 <f8 <i4 <u4 |b1`. Written files are byte for
 * byte what `np.save` writes. Every problem with the input is a ValueError with a TH060x code.
 */
import type { DType } from '../sema/types.js';
import { allocData, sizeOf, type NDArray } from './ndarray.js';
import { halfBits, halfFromBits } from './half.js';
import { parsePyLiteral, PyLiteralError, type PyValue } from './py-literal.js';
import { ValueError } from './value-error.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** descr <-> dtype and the element size in bytes. */
const DESCR: Record<DType, string> = { f16: '<f2', f32: '<f4', f64: '<f8', i32: '<i4', u32: '<u4', bool: '|b1' };
const ITEMSIZE: Record<DType, number> = { f16: 2, f32: 4, f64: 8, i32: 4, u32: 4, bool: 1 };
const BY_DESCR = new Map<string, DType>(Object.entries(DESCR).map(([k, v]) => [v, k as DType]));

export function readNpy(bytes: Uint8Array): NDArray {
  const { header, dataOffset } = readHeader(bytes);
  const { dtype, shape } = interpretHeader(header);
  const n = sizeOf(shape);
  const needed = n * ITEMSIZE[dtype];
  const actual = bytes.length - dataOffset;
  if (actual < needed) {
    throw new ValueError('TH0607', { shape: pyTuple(shape), dtype, needed, actual });
  }
  return { dtype, shape, data: decodeData(bytes, dataOffset, dtype, n) };
}

export function writeNpy(a: NDArray): Uint8Array {
  const header = headerBytes(a);
  const n = a.data.length;
  const out = new Uint8Array(header.length + n * ITEMSIZE[a.dtype]);
  out.set(header, 0);
  encodeData(a, new DataView(out.buffer, header.length));
  return out;
}

// ---------------------------------------------------------------- reading

function readHeader(bytes: Uint8Array): { header: string; dataOffset: number } {
  if (bytes.length < 6 || MAGIC.some((b, i) => bytes[i] !== b)) {
    const found = [...bytes.subarray(0, 6)].map(b => b.toString(16).padStart(2, '0')).join(' ');
    throw new ValueError('TH0600', { found: found === '' ? 'empty' : `\`${found}\`` });
  }
  if (bytes.length < 8) throw new ValueError('TH0602', { needed: 10, actual: bytes.length });
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (![1, 2, 3].includes(major) || minor !== 0) {
    throw new ValueError('TH0601', { version: `${major}.${minor}` });
  }
  const lenBytes = major === 1 ? 2 : 4;
  const start = 8 + lenBytes;
  if (bytes.length < start) throw new ValueError('TH0602', { needed: start, actual: bytes.length });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (bytes.length < start + hlen) throw new ValueError('TH0602', { needed: start + hlen, actual: bytes.length });
  const raw = bytes.subarray(start, start + hlen);
  // Versions 1 and 2 are latin-1; version 3 is utf-8.
  const header = major === 3 ? new TextDecoder('utf-8').decode(raw) : String.fromCharCode(...raw);
  return { header, dataOffset: start + hlen };
}

function corrupt(header: string, reason: string): ValueError {
  return new ValueError('TH0603', { reason, header: header.trim() });
}

function interpretHeader(header: string): { dtype: DType; shape: number[] } {
  let v: PyValue;
  try {
    v = parsePyLiteral(header);
  } catch (e) {
    if (e instanceof PyLiteralError) throw corrupt(header, e.message);
    throw e;
  }
  if (v === null || typeof v !== 'object' || !('dict' in v)) throw corrupt(header, 'it is not a dict');
  const keys = [...v.dict.keys()].sort().join(', ');
  if (keys !== 'descr, fortran_order, shape') {
    throw corrupt(header, `its keys are ${keys || 'none'} instead of descr, fortran_order, shape`);
  }
  const descr = v.dict.get('descr')!;
  const fortran = v.dict.get('fortran_order')!;
  const shapeV = v.dict.get('shape')!;
  if (typeof fortran !== 'boolean') throw corrupt(header, '`fortran_order` is not True or False');
  if (shapeV === null || typeof shapeV !== 'object' || !('tuple' in shapeV) ||
      !shapeV.tuple.every(d => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw corrupt(header, '`shape` is not a tuple of non-negative integers');
  }
  const shape = shapeV.tuple as number[];
  const dtype = dtypeOfDescr(descr);
  // A Fortran-ordered array with at most one dimension longer than 1 has the same layout as C order,
  // but numpy only writes fortran_order=True for genuinely column-major data, so reject it plainly.
  if (fortran) throw new ValueError('TH0604', {});
  return { dtype, shape };
}

/** Maps a descr to a core dtype, or throws the error that says why it is not one. */
function dtypeOfDescr(descr: PyValue): DType {
  if (typeof descr !== 'string') {
    throw new ValueError('TH0606', { descr: Array.isArray(descr) ? 'structured' : String(descr), name: 'a structured dtype', astype: 'np.float64' });
  }
  const known = BY_DESCR.get(descr);
  if (known) return known;
  const m = /^([<>|=])([a-zA-Z])(\d*)/.exec(descr);
  const order = m?.[1] ?? '';
  const kind = m?.[2] ?? '';
  const size = Number(m?.[3] ?? '0');
  if (kind === 'O') throw new ValueError('TH0608', { descr });
  if (order === '>' && size > 1) {
    const little = `<${descr.slice(1)}`;
    if (BY_DESCR.has(little)) throw new ValueError('TH0605', { descr, little });
  }
  const names: Record<string, [string, string]> = {
    i: [`int${size * 8}`, 'np.int32'], u: [`uint${size * 8}`, 'np.uint32'], f: [`float${size * 8}`, 'np.float64'],
    c: [`complex${size * 8}`, 'np.float64'], b: ['bool', 'np.bool_'], U: ['a unicode string', 'np.float64'],
    S: ['a byte string', 'np.float64'], M: ['datetime64', 'np.int32'], m: ['timedelta64', 'np.int32'],
  };
  const [name, astype] = names[kind] ?? ['an unknown dtype', 'np.float64'];
  throw new ValueError('TH0606', { descr, name: order === '>' ? `big-endian ${name}` : name, astype });
}

function decodeData(bytes: Uint8Array, offset: number, dtype: DType, n: number): NDArray['data'] {
  const data = allocData(dtype, n);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, n * ITEMSIZE[dtype]);
  switch (dtype) {
    case 'f64': for (let i = 0; i < n; i++) data[i] = view.getFloat64(8 * i, true); break;
    case 'f32': for (let i = 0; i < n; i++) data[i] = view.getFloat32(4 * i, true); break;
    case 'f16': for (let i = 0; i < n; i++) data[i] = halfFromBits(view.getUint16(2 * i, true)); break;
    case 'i32': for (let i = 0; i < n; i++) data[i] = view.getInt32(4 * i, true); break;
    case 'u32': for (let i = 0; i < n; i++) data[i] = view.getUint32(4 * i, true); break;
    case 'bool': for (let i = 0; i < n; i++) data[i] = view.getUint8(i) !== 0 ? 1 : 0; break;
  }
  return data;
}

// ---------------------------------------------------------------- writing

/** Python's repr of a shape tuple: `()`, `(3,)`, `(2, 3)`. */
export function pyTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * numpy's header: sorted keys, a trailing `, }`, 21 - len(str(shape[0])) spaces of growth room
 * (numpy leaves them so the first axis can grow in place), padding to a multiple of 64, `\n`.
 */
function headerBytes(a: NDArray): Uint8Array {
  let dict = `{'descr': '${DESCR[a.dtype]}', 'fortran_order': False, 'shape': ${pyTuple(a.shape)}, }`;
  if (a.shape.length > 0) dict += ' '.repeat(Math.max(0, 21 - String(a.shape[0]).length));
  // Version 1.0 stores the header length in 16 bits; a header too long for that needs 2.0.
  const fitsV1 = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10 <= 0xffff;
  return headerWithVersion(a, dict, fitsV1 ? 1 : 2);
}

function headerWithVersion(a: NDArray, dict: string, major: 1 | 2): Uint8Array {
  const prefix = major === 1 ? 10 : 12;
  const total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  if (total - prefix > 0xffffffff) throw new ValueError('TH0609', { shape: pyTuple(a.shape) });
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, total - prefix, true);
  else view.setUint32(8, total - prefix, true);
  const text = dict.padEnd(total - prefix - 1, ' ') + '\n';
  for (let i = 0; i < text.length; i++) out[prefix + i] = text.charCodeAt(i);
  return out;
}

function encodeData(a: NDArray, view: DataView): void {
  const d = a.data;
  const n = d.length;
  switch (a.dtype) {
    case 'f64': for (let i = 0; i < n; i++) view.setFloat64(8 * i, d[i]!, true); break;
    case 'f32': for (let i = 0; i < n; i++) view.setFloat32(4 * i, d[i]!, true); break;
    case 'f16': for (let i = 0; i < n; i++) view.setUint16(2 * i, halfBits(d[i]!), true); break;
    case 'i32': for (let i = 0; i < n; i++) view.setInt32(4 * i, d[i]!, true); break;
    case 'u32': for (let i = 0; i < n; i++) view.setUint32(4 * i, d[i]!, true); break;
    case 'bool': for (let i = 0; i < n; i++) view.setUint8(i, d[i] ? 1 : 0); break;
  }
}
