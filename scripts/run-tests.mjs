// Runs every compiled uvu suite (dist/tests/*.test.js), each in its own process, and prints
// the totals as a final `N passed, N failed` line, plus `, N skipped in N suites` when tests were
// skipped (uvu's test.skip: e.g. the GPU tests on a machine with no WebGPU adapter); a suite's
// `skip: reason` lines are repeated under its row. Exit status 1 if anything failed.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'dist', 'tests');
const only = process.argv.slice(2);
const suites = readdirSync(dir).filter(f => f.endsWith('.test.js')).filter(f => only.length === 0 || only.some(o => f.includes(o))).sort();
let passed = 0, failed = 0, skipped = 0, skippingSuites = 0;
for (const file of suites) {
  const r = spawnSync(process.execPath, [join(dir, file)], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, maxBuffer: 64 << 20 });
  const out = (r.stdout ?? '') + (r.stderr ?? '');
  const num = re => Number((out.match(re) ?? [])[1] ?? 0);
  const total = num(/Total:\s+(\d+)/), ok = num(/Passed:\s+(\d+)/), skip = num(/Skipped:\s+(\d+)/);
  // uvu's Total counts the tests that ran, not the skipped ones. A suite that exits 0 having run
  // nothing counts as a failure unless it skipped its tests (it probably never registered any).
  const bad = r.status === 0 && (total > 0 || skip > 0) ? total - ok : Math.max(1, total - ok);
  passed += ok; failed += bad; skipped += skip; skippingSuites += skip ? 1 : 0;
  const mark = r.status === 0 ? 'ok  ' : 'FAIL';
  console.log(`${mark} ${file.padEnd(28)} ${ok} passed${bad ? `, ${bad} failed` : ''}${skip ? `, ${skip} skipped` : ''}`);
  if (r.status !== 0) process.stdout.write(out.split('\n').map(l => '     ' + l).join('\n') + '\n');
  else for (const line of out.split('\n').filter(l => l.startsWith('skip: '))) console.log(`     ${line}`);
}
const inSuites = `${skippingSuites} suite${skippingSuites === 1 ? '' : 's'}`;
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped in ${inSuites}` : ''}`);
process.exit(failed ? 1 : 0);
