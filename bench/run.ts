/**
 * @file `npm run bench`: runs every benchmark section and prints a table with ratios against the
 * peers and targets measured in the same run. `--json FILE` also writes the rows as JSON
 * (`{ sections: { name: rows }, gpu: report }`, the GPU section's full report when it ran).
 * `--only NAME` runs one section (`front end`, `optimizer`, `cpu`, `gpu`). The GPU section picks its
 * sizes by adapter (smoke sizes on a software adapter such as lavapipe); `--full` or `--smoke`
 * forces them.
 */
import { writeFileSync } from 'node:fs';
import { frontendBench, type BenchRow } from './frontend.js';
import { optimizerBench } from './optimizer.js';
import { gpuBench, type GpuMode, type GpuReport } from './gpu.js';
import { cpuBench } from './cpu.js';

function print(section: string, rows: readonly BenchRow[]): void {
  console.log(`\n== ${section} ==`);
  const w = Math.max(...rows.map(r => r.name.length));
  for (const r of rows) {
    const mark = r.ok === null ? '    ' : r.ok ? ' ok ' : 'MISS';
    console.log(`${mark} ${r.name.padEnd(w)}  ${String(r.value).padStart(10)} ${r.unit.padEnd(8)} ${r.vs}`);
  }
}

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = flag('--only');
const gpuMode: GpuMode = argv.includes('--full') ? 'full' : argv.includes('--smoke') ? 'smoke' : 'auto';
let gpuReport: GpuReport | undefined;

const sections: [string, () => BenchRow[] | Promise<BenchRow[]>][] = [
  ['front end', frontendBench],
  ['optimizer', optimizerBench],
  ['cpu', cpuBench],
  ['gpu', async () => {
    const r = await gpuBench(gpuMode);
    gpuReport = r.report;
    return r.rows;
  }],
];
if (only !== undefined && !sections.some(([name]) => name === only)) {
  console.error(`no section ${JSON.stringify(only)}; sections: ${sections.map(([n]) => n).join(', ')}`);
  process.exit(2);
}
const all: Record<string, BenchRow[]> = {};
for (const [name, run] of sections) {
  if (only !== undefined && name !== only) continue;
  const rows = await run();
  all[name] = rows;
  print(name, rows);
}
const json = flag('--json');
if (json) writeFileSync(json, JSON.stringify({ sections: all, ...(gpuReport ? { gpu: gpuReport } : {}) }, null, 2) + '\n');
// Dawn's GPU object and TensorFlow.js's engine may keep the event loop alive after the device is
// gone, hence the explicit exit. With `--only gpu` (bench/gpu.sh) the status is 1 when the section
// could not run or thc and tfjs disagree; a full run only reports it in the table.
process.exit(only === 'gpu' && gpuReport?.error ? 1 : 0);
