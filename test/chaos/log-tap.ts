/**
 * Every line the functions write to stdout (their JSON logs) while a chaos run goes on, kept for
 * the oracle's secret search. Installed once per process: the chaos runner starts invocations
 * concurrently, so a capture per invocation (test/support/log-capture.ts swaps process.stdout.write
 * in and out) would restore the wrong writer. Lines are kept, not printed.
 */
export interface LogTap {
  /** Index of the next line: lines(from) returns what was written since. */
  mark(): number;
  lines(from?: number): readonly string[];
  /** Drops the lines before `mark` (no run still reads them): a long run keeps its memory flat. */
  forget(mark: number): void;
  /** Writes to the real stdout, past the tap (the runner's own output). */
  print(text: string): void;
  /** Stops capturing (the original writer is back) and forgets the lines. */
  uninstall(): void;
}

export function installLogTap(): LogTap {
  let captured: string[] = [];
  // Absolute index of captured[0]: marks stay valid when old lines are forgotten.
  let base = 0;
  const original = process.stdout.write.bind(process.stdout);
  const tap = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    captured.push(...String(chunk).split('\n').filter(Boolean));
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = tap;
  return {
    mark: () => base + captured.length,
    forget: (mark) => {
      const drop = Math.min(captured.length, Math.max(0, mark - base));
      captured = captured.slice(drop);
      base += drop;
    },
    print: (text) => {
      original(text.endsWith('\n') ? text : `${text}\n`);
    },
    lines: (from = 0) => captured.slice(Math.max(0, from - base)),
    uninstall() {
      if (process.stdout.write === tap) process.stdout.write = original;
      captured = [];
    },
  };
}
