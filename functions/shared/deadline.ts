/**
 * The invocation's deadline. Lambda stops a function at its timeout without a word, so every
 * probe, wait, retry and call is bounded by what is left of the invocation minus a reserve, kept to
 * release the lease and compose the answer: the function always answers or fails with a message.
 */
/** The part of Lambda's context object the functions use. */
export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
  readonly awsRequestId?: string;
  /** What the caller sent as the Invoke API's ClientContext (the CLI puts its invocation id in `custom`). */
  readonly clientContext?: { readonly custom?: Readonly<Record<string, unknown>> } | null;
}

export class Deadline {
  /**
   * @param atMs epoch ms by which the work must be done (the answer is composed after it)
   * @param endMs epoch ms at which the invocation is stopped (Lambda's timeout); a lease held by
   *   this invocation expires then
   */
  constructor(
    readonly atMs: number,
    readonly endMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * From Lambda's context (remaining time minus `reserveMs`), or, when run outside Lambda, from
   * `localBudgetMs` (the function's documented default budget).
   */
  static forInvocation(context: LambdaContextLike | undefined, reserveMs: number, localBudgetMs: number, now: () => number = Date.now): Deadline {
    const start = now();
    const remaining = context === undefined ? localBudgetMs : Math.max(0, context.getRemainingTimeInMillis());
    return new Deadline(start + Math.max(0, remaining - reserveMs), start + remaining, now);
  }

  /** A deadline no later than this one, at most `budgetMs` from now (a chained call's budget). */
  within(budgetMs: number): Deadline {
    const at = Math.min(this.atMs, this.now() + Math.max(0, budgetMs));
    return new Deadline(at, Math.min(this.endMs, Math.max(at, this.now() + Math.max(0, budgetMs))), this.now);
  }

  remainingMs(): number {
    return Math.max(0, this.atMs - this.now());
  }

  /** `ms`, or less when less time is left. */
  bound(ms: number): number {
    return Math.min(ms, this.remainingMs());
  }

  /**
   * A budget for clean-up after the deadline (giving the lease back): at most `maxMs`, and at most
   * half of what is left until Lambda stops the invocation, so the answer still goes out in time
   * however small the reserve is.
   */
  cleanupBudgetMs(maxMs: number): number {
    return Math.max(1, Math.min(maxMs, Math.floor((this.endMs - this.now()) / 2)));
  }

  expired(): boolean {
    return this.remainingMs() <= 0;
  }

  /** Aborts when the deadline passes (for the AWS SDK's `abortSignal`). */
  signal(): AbortSignal {
    return AbortSignal.timeout(Math.max(1, this.remainingMs()));
  }

  /** Sleeps `ms`, or until the deadline if it comes first; false when the deadline cut it short. */
  async sleep(ms: number): Promise<boolean> {
    const wait = this.bound(ms);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    return wait === ms;
  }
}
