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
  return {
    name,
    text,
    position(offset: number) {
      const s = index();
      let lo = 0, hi = s.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (s[mid]! <= offset) lo = mid; else hi = mid - 1;
      }
      return { line: lo + 1, col: offset - s[lo]! + 1 };
    },
    lineText(line: number) {
      const s = index();
      const start = s[line - 1] ?? text.length;
      const end = line < s.length ? s[line]! - 1 : text.length;
      return text.slice(start, end).replace(/\r$/, '');
    },
    get lineCount() { return index().length; },
  };
}
