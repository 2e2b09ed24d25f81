/**
 * @file A source text with a lazily built line index.
 * Consumes: a file name and its text. Produces: offset -> (line, col) lookups, line text.
 * Lines and columns are 1-based; columns count UTF-16 code units (what editors show for ASCII).
 */

export interface SourceFile {
  /** Display name: a path relative to the working directory, `<stdin>`, or `<stdlib>/nn.th`. */
  readonly name: string;
  readonly text: string;
  /** 1-based line and column of a 0-based offset. */
  position(offset: number): { line: number; col: number };
  /** The 1-based line of a 0-based offset (no allocation; fastest for offsets in increasing order). */
  lineAt(offset: number): number;
  /** The 0-based offset where a 1-based line starts. */
  lineStart(line: number): number;
  /** The text of a 1-based line, without its newline. */
  lineText(line: number): string;
  readonly lineCount: number;
}

export function sourceFile(name: string, text: string): SourceFile {
  let starts: number[] | undefined;
  const index = (): number[] => {
    if (starts) return starts;
    starts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    return starts;
  };
  /** The 0-based index of the line holding `offset`: the last answer is tried first (callers mostly walk forward). */
  let last = 0;
  const lineIndex = (offset: number): number => {
    const s = index();
    if (s[last]! <= offset && (last + 1 >= s.length || offset < s[last + 1]!)) return last;
    if (last + 2 < s.length && s[last + 1]! <= offset && offset < s[last + 2]!) return ++last;
    let lo = 0, hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= offset) lo = mid; else hi = mid - 1;
    }
    return (last = lo);
  };
  return {
    name,
    text,
    position(offset: number) {
      const i = lineIndex(offset);
      return { line: i + 1, col: offset - index()[i]! + 1 };
    },
    lineAt: (offset: number) => lineIndex(offset) + 1,
    lineStart: (line: number) => index()[line - 1] ?? text.length,
    lineText(line: number) {
      const s = index();
      const start = s[line - 1] ?? text.length;
      const end = line < s.length ? s[line]! - 1 : text.length;
      return text.slice(start, end).replace(/\r$/, '');
    },
    get lineCount() { return index().length; },
  };
}
