/**
 * @file The progress bar of `thc run --steps N` (src/cli/progress.ts) on a fake terminal and a
 * fake clock: when it appears (N > 1, a TTY, not TERM=dumb, not THC_NO_PROGRESS, not disabled),
 * the throttle (one redraw per 100 ms, none for a run under 100 ms), the text (step i/N, elapsed,
 * steps/s, time left; worked out by hand below), redrawing in place with `\r`, erasing at the end,
 * the width limit, and the elapsed-only form of engines that report no steps (generated C).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createProgress, formatDuration, progressLine, progressWanted, type ProgressStream } from '../src/cli/progress.js';

function fakeTty(isTTY = true, columns = 80): ProgressStream & { text: string; columns: number } {
  const s = { isTTY, columns, text: '', write(t: string) { s.text += t; } };
  return s;
}

const clock = () => {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
};

test('appears only for N > 1 on a TTY, not on TERM=dumb, THC_NO_PROGRESS=1 or when disabled', () => {
  const env = { TERM: 'xterm' };
  assert.ok(progressWanted(2, { stream: fakeTty(), env }));
  assert.not.ok(progressWanted(1, { stream: fakeTty(), env }));
  assert.not.ok(progressWanted(5, { stream: fakeTty(false), env }));
  assert.not.ok(progressWanted(5, { stream: { write() {} }, env }));
  assert.not.ok(progressWanted(5, { stream: fakeTty(), env: { TERM: 'dumb' } }));
  assert.not.ok(progressWanted(5, { stream: fakeTty(), env: { TERM: 'xterm', THC_NO_PROGRESS: '1' } }));
  assert.not.ok(progressWanted(5, { stream: fakeTty(), env, enabled: false }));
  // Not a TTY: nothing is ever written, whatever happens.
  const pipe = fakeTty(false);
  const c = clock();
  const p = createProgress(10, { stream: pipe, env, now: c.now });
  for (let i = 1; i <= 10; i++) { c.advance(500); p.step(i); }
  p.end();
  assert.is(pipe.text, '');
});

test('a run shorter than 100 ms draws nothing, not even the erase', () => {
  const tty = fakeTty();
  const c = clock();
  const p = createProgress(100, { stream: tty, env: {}, now: c.now });
  for (let i = 1; i <= 100; i++) { c.advance(0.5); p.step(i); }
  p.end();
  assert.is(tty.text, '');
});

test('redraws in place at most once per 100 ms, then erases its line', () => {
  const tty = fakeTty();
  const c = clock();
  const p = createProgress(10, { stream: tty, env: {}, now: c.now, label: 'gpu' });
  // 10 steps of 40 ms: draws after steps 3 (120 ms), 6 (240 ms) and 9 (360 ms) only.
  for (let i = 1; i <= 10; i++) { c.advance(40); p.step(i); }
  const draws = tty.text.split('\r').filter(x => x !== '');
  assert.is(draws.length, 3);
  // Step 3 at 120 ms: 25 steps/s; 7 left take 0.28 s. Bar 30 wide, 3/10 filled: 9 '#'.
  assert.is(draws[0], `gpu step 3/10 [${'#'.repeat(9)}${'.'.repeat(21)}] 0.1s, 25.0 steps/s, 0.3s left`);
  assert.match(draws[2]!, /^gpu step 9\/10 \[#{27}\.{3}\] 0\.4s, 25\.0 steps\/s, 0\.0s left$/);
  const before = tty.text.length;
  p.end();
  // The erase: \r, as many spaces as the longest line drawn, \r.
  assert.is(tty.text.slice(before), `\r${' '.repeat(draws[2]!.length)}\r`);
  p.end();
  assert.is(tty.text.length, before + draws[2]!.length + 2);
});

test('a shorter line overwrites the rest of a longer one with spaces (the terminal got narrower)', () => {
  const tty = fakeTty(true, 80);
  const c = clock();
  const p = createProgress(10, { stream: tty, env: {}, now: c.now });
  c.advance(150); p.step(1);
  tty.columns = 30;
  c.advance(150); p.step(2);
  const [a, b] = tty.text.split('\r').filter(x => x !== '');
  assert.ok(a!.length > 40, a);
  assert.is(b!.length, a!.length, 'padded to the old length');
  assert.ok(b!.trimEnd().length <= 29 && b!.slice(29).trim() === '', b);
  assert.ok(b!.startsWith('step 2/10'));
});

test('the line never exceeds the terminal width; narrow terminals drop the bar', () => {
  for (const columns of [20, 40, 60, 100]) {
    const line = progressLine(123, 4567, 65_000, 'cpu (C)', columns - 1);
    assert.ok(line.length <= columns - 1, `${columns}: ${line}`);
  }
  assert.not.match(progressLine(1, 4567, 1000, undefined, 30), /\[/);
});

test('durations: seconds with a tenth, then minutes and seconds, then hours and minutes', () => {
  assert.is(formatDuration(0), '0.0s');
  assert.is(formatDuration(12_340), '12.3s');
  assert.is(formatDuration(245_000), '4m05s');
  assert.is(formatDuration(3_720_000), '1h02m');
});

test('engines that report no steps: ticking() redraws the elapsed time until stopped', async () => {
  const tty = fakeTty();
  const p = createProgress(50, { stream: tty, env: {}, label: 'cpu (C)' });
  const stop = p.ticking();
  await new Promise(r => setTimeout(r, 260));
  stop();
  const drawn = tty.text;
  assert.match(drawn, /^\rcpu \(C\) 50 steps, 0\.[1-9]s elapsed/);
  await new Promise(r => setTimeout(r, 150));
  assert.is(tty.text, drawn, 'no redraw after stop');
  p.end();
  assert.match(tty.text.slice(drawn.length), /^\r +\r$/);
});

test.run();
