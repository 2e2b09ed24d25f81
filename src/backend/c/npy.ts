/**
 * @file The `.npy` reader and writer that the `-o DIR` file's optional `main` (files.ts, under
 * `#ifdef THC_NPY_MAIN`) uses, as C text. The reader takes format versions 1, 2 and 3 (3 only
 * changes the header's text encoding), parses the header dict (`descr`, `fortran_order`, `shape`,
 * in any order, either quote style, trailing commas), and checks the dtype exactly (no conversion:
 * `<f8` for f64, `<f4` f32, `<i4` i32, `<u4` u32, `|b1` bool; `=` and `|` count as little-endian,
 * `>` is refused by name), the rank, C order (Fortran order only where it is the same layout: rank
 * 0 or 1) and that the data is exactly count * width bytes. Each failure is one line on stderr
 * naming the file. The writer writes version 1 with the header padded to 64 bytes, as numpy does.
 */
import type { DType } from '../../sema/types.js';

/** numpy's dtype string of a thc dtype, as the writer spells it. */
export function npyDescr(t: DType): string {
  switch (t) {
    case 'f64': return '<f8';
    case 'f32': return '<f4';
    case 'i32': return '<i4';
    case 'u32': return '<u4';
    case 'bool': return '|b1';
    default: throw new Error(`no .npy dtype for ${t} in C`);
  }
}

export const NPY_C = `#include <stdio.h>
#include <limits.h>
#include <errno.h>

#define THC_NPY_MAXRANK 32

/* An array read from a .npy file; data is malloc'd (owned) or a default's constant (not owned). */
typedef struct { void *data; long shape[THC_NPY_MAXRANK]; int rank; int owned; } thc_npy;

static char thc_npy_msg[512];

static char *thc_npy_slurp(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = (size_t)1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    char *bigger = realloc(buf, cap * 2);
    if (!bigger) { free(buf); buf = NULL; break; }
    buf = bigger;
    cap *= 2;
  }
  if (buf && ferror(f)) { free(buf); buf = NULL; }
  fclose(f);
  *size = n;
  return buf;
}

static const char *thc_npy_space(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\\t' || *p == '\\n' || *p == '\\r')) p++;
  return p;
}

/* A quoted string at p (either quote); its text in [*s, *e); NULL if there is none. */
static const char *thc_npy_string(const char *p, const char *end, const char **s, const char **e) {
  if (p >= end || (*p != '\\'' && *p != '"')) return NULL;
  const char q = *p++;
  *s = p;
  while (p < end && *p != q) p++;
  if (p >= end) return NULL;
  *e = p;
  return p + 1;
}

static int thc_npy_is(const char *s, const char *e, const char *word) {
  return (size_t)(e - s) == strlen(word) && memcmp(s, word, (size_t)(e - s)) == 0;
}

/* Parses the header dict; NULL, or why not. */
static const char *thc_npy_header(const char *p, const char *end, char *descr, size_t descr_cap, int *fortran, long *shape, int *rank) {
  int seen = 0;
  p = thc_npy_space(p, end);
  if (p >= end || *p != '{') return "the header is not a dict";
  p++;
  for (;;) {
    const char *ks, *ke, *vs, *ve;
    p = thc_npy_space(p, end);
    if (p < end && *p == '}') break;
    p = thc_npy_string(p, end, &ks, &ke);
    if (!p) return "a header key is not a quoted string";
    p = thc_npy_space(p, end);
    if (p >= end || *p != ':') return "no ':' after a header key";
    p = thc_npy_space(p + 1, end);
    if (thc_npy_is(ks, ke, "descr")) {
      const char *q = thc_npy_string(p, end, &vs, &ve);
      if (!q) return "the dtype (descr) is not a plain string: structured dtypes are not supported";
      if ((size_t)(ve - vs) >= descr_cap) return "the dtype (descr) is too long";
      memcpy(descr, vs, (size_t)(ve - vs));
      descr[ve - vs] = 0;
      p = q;
      seen |= 1;
    } else if (thc_npy_is(ks, ke, "fortran_order")) {
      if (end - p >= 4 && memcmp(p, "True", 4) == 0) { *fortran = 1; p += 4; }
      else if (end - p >= 5 && memcmp(p, "False", 5) == 0) { *fortran = 0; p += 5; }
      else return "fortran_order is neither True nor False";
      seen |= 2;
    } else if (thc_npy_is(ks, ke, "shape")) {
      if (p >= end || *p != '(') return "the shape is not a tuple";
      p++;
      *rank = 0;
      for (;;) {
        p = thc_npy_space(p, end);
        if (p < end && *p == ')') { p++; break; }
        if (*rank >= THC_NPY_MAXRANK) return "the shape has too many axes";
        long v = 0;
        const char *digits = p;
        while (p < end && *p >= '0' && *p <= '9') {
          if (v > (LONG_MAX - 9) / 10) return "a dimension of the shape is too large";
          v = v * 10 + (*p++ - '0');
        }
        if (p == digits) return "the shape is not a tuple of non-negative integers";
        if (p < end && *p == 'L') p++; /* Python 2 longs */
        shape[(*rank)++] = v;
        p = thc_npy_space(p, end);
        if (p < end && *p == ',') p++;
        else if (p >= end || *p != ')') return "the shape is not a tuple of non-negative integers";
      }
      seen |= 4;
    } else {
      return "the header has a key other than descr, fortran_order and shape";
    }
    p = thc_npy_space(p, end);
    if (p < end && *p == ',') { p++; continue; }
    if (p < end && *p == '}') break;
    return "the header dict is malformed";
  }
  if (seen != 7) return "the header lacks descr, fortran_order or shape";
  return NULL;
}

/*
 * Reads path as a .npy array of dtype want (e.g. "<f8") and the given rank into out (data
 * malloc'd); 0, or 1 after printing why to stderr.
 */
static int thc_npy_read(const char *path, const char *want, int rank, size_t width, thc_npy *out) {
  size_t size = 0;
  char *buf = thc_npy_slurp(path, &size);
  if (!buf) { fprintf(stderr, "%s: cannot read: %s\\n", path, strerror(errno)); return 1; }
  const unsigned char *u = (const unsigned char *)buf;
  const char *why = NULL;
  char descr[64] = "";
  int fortran = 0;
  size_t start = 0, hlen = 0;
  out->rank = 0;
  if (size < 10 || memcmp(buf, "\\x93NUMPY", 6) != 0) why = "not a .npy file (no \\\\x93NUMPY magic)";
  else if (u[6] == 1) { hlen = (size_t)u[8] | (size_t)u[9] << 8; start = 10; }
  else if ((u[6] == 2 || u[6] == 3) && size >= 12) { hlen = (size_t)u[8] | (size_t)u[9] << 8 | (size_t)u[10] << 16 | (size_t)u[11] << 24; start = 12; }
  else { snprintf(thc_npy_msg, sizeof thc_npy_msg, "unsupported .npy format version %d", u[6]); why = thc_npy_msg; }
  if (!why && hlen > size - start) why = "the header is truncated";
  if (!why) why = thc_npy_header(buf + start, buf + start + hlen, descr, sizeof descr, &fortran, out->shape, &out->rank);
  if (!why && descr[0] == '>' && strcmp(descr + 1, want + 1) == 0) {
    snprintf(thc_npy_msg, sizeof thc_npy_msg, "big-endian data (%s): save it as little-endian, e.g. a.astype('%s')", descr, want);
    why = thc_npy_msg;
  }
  if (!why && !((descr[0] == '<' || descr[0] == '=' || descr[0] == '|') && strcmp(descr + 1, want + 1) == 0)) {
    snprintf(thc_npy_msg, sizeof thc_npy_msg, "dtype '%s', expected '%s' (no conversion is made)", descr, want);
    why = thc_npy_msg;
  }
  if (!why && out->rank != rank) { snprintf(thc_npy_msg, sizeof thc_npy_msg, "%d axes, expected %d", out->rank, rank); why = thc_npy_msg; }
  if (!why && fortran && rank > 1) why = "Fortran-order (column-major) data: save np.ascontiguousarray(a) instead";
  size_t count = 1;
  for (int a = 0; !why && a < out->rank; a++) {
    const size_t d = (size_t)out->shape[a];
    if (d != 0 && count > (size_t)-1 / width / d) why = "the array is too large";
    else count *= d;
  }
  if (!why && size - start - hlen != count * width) {
    snprintf(thc_npy_msg, sizeof thc_npy_msg, "%lu bytes of data, expected %lu for this shape", (unsigned long)(size - start - hlen), (unsigned long)(count * width));
    why = thc_npy_msg;
  }
  if (why) { fprintf(stderr, "%s: %s\\n", path, why); free(buf); return 1; }
  out->data = malloc(count * width > 0 ? count * width : 1);
  if (!out->data) { fprintf(stderr, "%s: out of memory\\n", path); free(buf); return 1; }
  if (count) memcpy(out->data, buf + start + hlen, count * width);
  out->owned = 1;
  free(buf);
  return 0;
}

/* Writes a version 1 .npy file; 0, or 1 after printing why. */
static int thc_npy_write(const char *path, const char *descr, const void *data, const long *shape, int rank, size_t width) {
  char h[THC_NPY_MAXRANK * 24 + 128];
  int n = snprintf(h, sizeof h, "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
  size_t count = 1;
  for (int a = 0; a < rank; a++) { n += snprintf(h + n, sizeof h - (size_t)n, a ? ", %ld" : "%ld", shape[a]); count *= (size_t)shape[a]; }
  n += snprintf(h + n, sizeof h - (size_t)n, "%s), }", rank == 1 ? "," : "");
  while ((10 + n + 1) % 64 != 0) h[n++] = ' ';
  h[n++] = '\\n';
  unsigned char pre[10] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(n & 255), (unsigned char)(n >> 8) };
  FILE *f = fopen(path, "wb");
  int bad = !f || fwrite(pre, 1, 10, f) != 10 || fwrite(h, 1, (size_t)n, f) != (size_t)n || (count && fwrite(data, width, count, f) != count);
  if (f && fclose(f) != 0) bad = 1;
  if (bad) { fprintf(stderr, "%s: cannot write: %s\\n", path, strerror(errno)); return 1; }
  return 0;
}

/* The value of NAME=FILE among the arguments, or NULL. */
static const char *thc_npy_arg(char **args, int n, const char *name) {
  const size_t len = strlen(name);
  for (int i = 0; i < n; i++) if (strncmp(args[i], name, len) == 0 && args[i][len] == '=') return args[i] + len + 1;
  return NULL;
}
`;
