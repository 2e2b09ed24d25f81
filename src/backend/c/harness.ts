/**
 * @file The command-line harness compiled in with `-DTHC_MAIN`:
 *
 *   prog ENTRY STEPS OUTDIR [in NAME FILE SHAPE]... [state NAME FILE SHAPE]...
 *
 * FILE holds raw little-endian elements (bool: one byte each), SHAPE is `d0,d1,...` (`-` for a
 * scalar). It sets the state, calls ENTRY STEPS times with the same inputs (the state carries over),
 * then writes OUTDIR/out<k>.bin and .shape per output of the last call and OUTDIR/state<k>.bin and
 * .shape per shared variable in declaration order, and prints `thc-step-ns N` (mean wall time of one
 * call). Exit status: 0, a THC_E* code from the entry function, or 64 for a usage or file error.
 */
import type { ProgramGraphs } from '../../graph/graph.js';
import type { CEntry } from './program.js';
import { entryFunction, sharedField } from './program.js';
import { cType, mangle } from './types.js';

const COMMON = `#ifdef THC_MAIN
#include <stdio.h>
#include <time.h>

#define THC_MAX_ARGS 256
typedef struct { const char *kind, *name, *file; long shape[16]; int rank; } thc_arg;

static int thc_parse_shape(const char *s, long *shape) {
  if (strcmp(s, "-") == 0) return 0;
  int r = 0;
  while (*s && r < 16) { char *end; shape[r++] = strtol(s, &end, 10); s = *end == ',' ? end + 1 : end; if (*end && *end != ',') return -1; }
  return r;
}

static long thc_count(const long *shape, int rank) { long n = 1; for (int a = 0; a < rank; a++) n *= shape[a]; return n; }

static void *thc_read(const char *path, size_t bytes) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  void *p = malloc(bytes ? bytes : 1);
  if (p && bytes && fread(p, 1, bytes, f) != bytes) { free(p); p = NULL; }
  fclose(f);
  return p;
}

static int thc_write(const char *dir, const char *stem, int k, const void *data, size_t bytes, const long *shape, int rank) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s%d.bin", dir, stem, k);
  FILE *f = fopen(path, "wb");
  if (!f || (bytes && fwrite(data, 1, bytes, f) != bytes)) { if (f) fclose(f); return 64; }
  fclose(f);
  snprintf(path, sizeof path, "%s/%s%d.shape", dir, stem, k);
  f = fopen(path, "w");
  if (!f) return 64;
  for (int a = 0; a < rank; a++) fprintf(f, a ? ",%ld" : "%ld", shape[a]);
  fprintf(f, "\\n");
  fclose(f);
  return 0;
}

static const thc_arg *thc_find(const thc_arg *args, int n, const char *kind, const char *name) {
  for (int i = 0; i < n; i++) if (strcmp(args[i].kind, kind) == 0 && strcmp(args[i].name, name) == 0) return &args[i];
  return NULL;
}

static double thc_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}
`;

/** The harness: shared helpers, one runner per entry point, the state I/O and main(). */
export function harness(program: ProgramGraphs, entries: readonly CEntry[]): string {
  const parts = [COMMON];
  for (const e of entries) parts.push(runner(e));
  parts.push(stateIO(program), mainFn(entries), '#endif /* THC_MAIN */');
  return parts.join('\n');
}

/** Reads the inputs of one entry point, calls it `steps` times, writes its outputs. */
function runner(e: CEntry): string {
  const g = e.graph, s = e.schedule;
  const lines: string[] = [];
  const args: string[] = ['st'];
  g.params.forEach((p, i) => {
    const t = cType(p.type.dtype);
    lines.push(`const thc_arg *a${i} = thc_find(args, n, "in", "${p.name}");`,
      `if (!a${i} || a${i}->rank != ${p.type.shape.length}) { fprintf(stderr, "input ${p.name}: missing or wrong rank\\n"); return 64; }`,
      `${t} *x${i} = thc_read(a${i}->file, (size_t)thc_count(a${i}->shape, a${i}->rank) * sizeof(${t}));`,
      `if (!x${i}) { fprintf(stderr, "input ${p.name}: cannot read %s\\n", a${i}->file); return 64; }`);
    args.push(`x${i}`, `a${i}->shape`);
  });
  s.outputs.forEach((o, k) => {
    lines.push(`${cType(o.value.type.dtype)} *o${k} = NULL; long o${k}_shape[${Math.max(1, o.value.type.shape.length)}] = {0};`);
    args.push(`&o${k}`, `o${k}_shape`);
  });
  const frees = s.outputs.map((_, k) => `free(o${k}); o${k} = NULL;`).join(' ');
  lines.push('double t0 = thc_now();', 'int rc = THC_OK;',
    `for (long step = 0; step < steps && rc == THC_OK; step++) { ${frees ? `if (step > 0) { ${frees} } ` : ''}rc = ${entryFunction(g.name)}(${args.join(', ')}); }`,
    'if (steps > 0) printf("thc-step-ns %.0f\\n", (thc_now() - t0) / (double)steps);',
  );
  // Everything is freed on every path after the calls (the sanitizer build checks for leaks).
  s.outputs.forEach((o, k) => {
    const r = o.value.type.shape.length;
    lines.push(`if (rc == THC_OK && o${k} && thc_write(dir, "out", ${k}, o${k}, (size_t)thc_count(o${k}_shape, ${r}) * sizeof(*o${k}), o${k}_shape, ${r})) rc = 64;`, `free(o${k});`);
  });
  g.params.forEach((_, i) => lines.push(`free(x${i});`));
  lines.push('return rc;');
  return [`static int thcr_${mangle(g.name)}(thc_state *st, const thc_arg *args, int n, long steps, const char *dir) {`,
    ...(g.params.length === 0 ? ['(void)args; (void)n;'] : []), ...lines.map(l => `  ${l}`), '}', ''].join('\n')
    .replace(/^\(void\)args; \(void\)n;$/m, '  (void)args; (void)n;');
}

/** Loads `state` files into thc_state, and writes every shared variable back. */
function stateIO(p: ProgramGraphs): string {
  const load: string[] = [], save: string[] = [];
  p.shared.forEach((v, k) => {
    const f = `st->${sharedField(v.name)}`, t = cType(v.type.dtype), r = v.type.shape.length;
    load.push(`{ const thc_arg *a = thc_find(args, n, "state", "${v.name}");`,
      `  if (a) { if (a->rank != ${r}) return 64; ${f} = thc_read(a->file, (size_t)thc_count(a->shape, a->rank) * sizeof(${t})); if (!${f}) return 64;`,
      `    for (int d = 0; d < ${r}; d++) ${f}_shape[d] = a->shape[d]; } }`);
    save.push(`if (${f} && thc_write(dir, "state", ${k}, ${f}, (size_t)thc_count(${f}_shape, ${r}) * sizeof(${t}), ${f}_shape, ${r})) return 64;`);
  });
  const none = p.shared.length === 0 ? ['  (void)st; (void)args; (void)n;'] : [];
  const noneSave = p.shared.length === 0 ? ['  (void)st; (void)dir;'] : [];
  const free_ = p.shared.map(v => `  free(st->${sharedField(v.name)});`);
  return [
    'static void thc_free_state(thc_state *st) {', ...(free_.length ? free_ : ['  (void)st;']), '}',
    'static int thc_load_state(thc_state *st, const thc_arg *args, int n) {', ...none, ...load.map(l => `  ${l}`), '  return 0;', '}',
    'static int thc_save_state(const thc_state *st, const char *dir) {', ...noneSave, ...save.map(l => `  ${l}`), '  return 0;', '}', '',
  ].join('\n');
}

function mainFn(entries: readonly CEntry[]): string {
  const dispatch = entries.map(e => `  if (strcmp(argv[1], "${e.graph.name}") == 0) rc = thcr_${mangle(e.graph.name)}(&st, args, n, steps, argv[3]);`);
  return `int main(int argc, char **argv) {
  if (argc < 4 || (argc - 4) % 4 != 0 || (argc - 4) / 4 > THC_MAX_ARGS) { fprintf(stderr, "usage: %s ENTRY STEPS OUTDIR [in|state NAME FILE SHAPE]...\\n", argv[0]); return 64; }
  static thc_arg args[THC_MAX_ARGS];
  int n = 0;
  for (int i = 4; i < argc; i += 4, n++) {
    args[n].kind = argv[i]; args[n].name = argv[i + 1]; args[n].file = argv[i + 2];
    args[n].rank = thc_parse_shape(argv[i + 3], args[n].shape);
    if (args[n].rank < 0) { fprintf(stderr, "bad shape %s\\n", argv[i + 3]); return 64; }
  }
  thc_state st;
  memset(&st, 0, sizeof st);
  if (thc_load_state(&st, args, n)) { fprintf(stderr, "cannot read the state\\n"); return 64; }
  long steps = strtol(argv[2], NULL, 10);
  int rc = 64;
${dispatch.join('\n')}
  if (rc == 64) fprintf(stderr, "no entry point %s, or a file error\\n", argv[1]);
  if (rc == THC_OK) rc = thc_save_state(&st, argv[3]);
  thc_free_state(&st);
  return rc;
}
`;
}
