/** Captures what the functions write to stdout (their JSON log lines) while `fn` runs. */
export async function captureStdout<T>(fn: () => Promise<T>): Promise<{ result?: T; error?: unknown; lines: string[] }> {
  const lines: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  try {
    return { result: await fn(), lines };
  } catch (error) {
    return { error, lines };
  } finally {
    process.stdout.write = original;
  }
}
