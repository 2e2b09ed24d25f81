/**
 * @file `npm run bench`: runs every benchmark section and prints a table with ratios against the
 * peers and targets measured in the same run. `--json FILE` also writes the rows as JSON.
 */
import { writeFileSync } from 'node:fs';
import { frontendBench, type BenchRow } from './frontend.js';
import { optimizerBench } from './optimizer.js';

function print(section: string, rows: readonly BenchRow[]): void {
  console.log(`\n== ${section} ==`);
  const w = Math.max(...rows.map(r => r.name.length));
  for (const r of rows) {
    const mark = r.ok === null ? '    ' : r.ok ? ' ok ' : 'MISS';
    console.log(`${mark} ${r.name.padEnd(w)}  ${String(r.value).padStart(10)} ${r.unit.padEnd(8)} ${r.vs}`);
  }
}

const sections: [string, () => BenchRow[]][] = [['front end', frontendBench], ['optimizer', optimizerBench]];
const all: Record<string, BenchRow[]> = {};
for (const [name, run] of sections) {
  const rows = run();
  all[name] = rows;
  print(name, rows);
}
const i = process.argv.indexOf('--json');
if (i > 0 && process.argv[i + 1]) writeFileSync(process.argv[i + 1]!, JSON.stringify(all, null, 2) + '\n');
