/**
 * @file Diagnostic wording owned by the values phase (TH0600-TH0649): problems with values read
 * from .npy/.npz/.json files or JSON command-line bindings. The CLI adds which file or argument it
 * was; these messages describe only the value. TH060x-TH061x .npy, TH062x .npz, TH063x-TH064x JSON.
 */
import type { Catalog } from '../codes.js';

const NPY_DTYPES = '`<f2`, `<f4`, `<f8`, `<i4`, `<u4` and `|b1`';

export const valueCodes: Catalog = {
  // ------------------------------------------------------------------ .npy
  TH0600: {
    title: 'not a .npy file',
    message: 'the data does not start with the .npy magic string `\\x93NUMPY`',
    note: 'the first bytes are {found}',
    help: 'write the file with `np.save` (a `.npz` archive is read with --load-state)',
  },
  TH0601: {
    title: 'unsupported .npy version',
    message: 'unsupported .npy format version {version}',
    note: 'versions 1.0, 2.0 and 3.0 are supported',
  },
  TH0602: {
    title: 'truncated .npy header',
    message: 'the .npy header is truncated: it needs {needed} bytes but the data has {actual}',
  },
  TH0603: {
    title: 'corrupt .npy header',
    message: 'the .npy header cannot be parsed: {reason}',
    note: 'the header is `{header}`',
  },
  TH0604: {
    title: 'Fortran-ordered .npy data',
    message: 'the .npy data is in Fortran (column-major) order',
    note: 'only C (row-major) order is supported',
    help: 'save `np.ascontiguousarray(a)` instead',
  },
  TH0605: {
    title: 'big-endian .npy data',
    message: 'the .npy data is big-endian (dtype `{descr}`)',
    help: "convert it with `a.astype('{little}')` before saving",
  },
  TH0606: {
    title: 'unsupported .npy dtype',
    message: 'unsupported .npy dtype `{descr}` ({name})',
    note: `the supported dtypes are ${NPY_DTYPES}`,
    help: 'convert it with `a.astype({astype})` before saving',
  },
  TH0607: {
    title: 'truncated .npy data',
    message: 'the .npy data is too short: shape {shape} of {dtype} needs {needed} bytes but only {actual} follow the header',
  },
  TH0608: {
    title: 'object array in .npy',
    message: 'the .npy file holds an object array (dtype `{descr}`)',
    note: 'object arrays are pickled Python objects and are never loaded',
    help: 'save a numeric array, e.g. `np.asarray(a, dtype=np.float64)`',
  },
  TH0609: {
    title: 'array too large for .npy',
    message: 'the .npy header for shape {shape} does not fit in format version 3.0',
  },
  // ------------------------------------------------------------------ .npz
  TH0620: {
    title: 'not a .npz archive',
    message: 'the data is not a zip archive: {reason}',
    help: 'write the file with `np.savez` or `np.savez_compressed`',
  },
  TH0621: {
    title: 'non-.npy entry in .npz',
    message: 'the .npz entry `{entry}` is not a `.npy` file',
    note: 'every entry of a .npz archive is `NAME.npy`',
  },
  TH0622: {
    title: 'corrupt .npz entry',
    message: 'the .npz entry `{entry}` is corrupt: {reason}',
  },
  TH0623: {
    title: 'duplicate .npz entry',
    message: 'the .npz archive holds `{entry}` more than once',
  },
  // ------------------------------------------------------------------ JSON values
  TH0630: {
    title: 'ragged JSON array',
    message: 'the JSON array is ragged: {path} has {actual} elements but its siblings have {expected}',
    note: 'an array must be rectangular: every list at one depth has the same length',
  },
  TH0631: {
    title: 'non-numeric JSON element',
    message: 'the JSON element at {path} is {found}, not a number',
    note: 'elements are numbers, `true`/`false`, or for floats the strings "NaN", "Infinity" and "-Infinity"',
  },
  TH0632: {
    title: 'fractional value for an integer dtype',
    message: 'the JSON element at {path} is {value}, which is not an integer, for dtype {dtype}',
    help: 'use an integer value, or declare the parameter with a float dtype',
  },
  TH0633: {
    title: 'non-finite value for an integer dtype',
    message: 'the JSON element at {path} is {value}, which has no {dtype} value',
    note: 'NaN and infinities exist only in float dtypes',
  },
  TH0634: {
    title: 'integer out of range',
    message: 'the JSON element at {path} is {value}, outside the range of {dtype} ({min} to {max})',
  },
  TH0635: {
    title: 'non-boolean value for bool',
    message: 'the JSON element at {path} is {value}, which is not a bool',
    note: 'a bool element is `true`, `false`, `1` or `0`',
  },
  TH0636: {
    title: 'list mixed with scalar in JSON array',
    message: 'the JSON array mixes lists and scalars: {path} is {found} but its siblings are {expected}',
    note: 'an array must be rectangular: every list at one depth has the same length',
  },
};
