/** The invocation's deadline: what is left of Lambda's time, minus the reserve. */
import { Deadline } from '../../../functions/shared/deadline';

const clock = (start: number) => {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('Deadline', () => {
  it('takes the reserve off the context\'s remaining time; the lease ends with the invocation', () => {
    const c = clock(1000);
    const d = Deadline.forInvocation({ getRemainingTimeInMillis: () => 120_000 }, 2000, 5, c.now);
    expect(d.atMs).toBe(1000 + 118_000);
    expect(d.endMs).toBe(1000 + 120_000);
    expect(d.remainingMs()).toBe(118_000);
  });

  it('clean-up after the deadline gets at most its budget, and at most half of what is left before Lambda stops the invocation', () => {
    const c = clock(0);
    // The default reserve (2 s): half of it, 1 s, is less than the 1.5 s budget.
    const d = Deadline.forInvocation({ getRemainingTimeInMillis: () => 120_000 }, 2000, 0, c.now);
    c.advance(118_000);
    expect(d.cleanupBudgetMs(1500)).toBe(1000);
    expect(d.cleanupBudgetMs(300)).toBe(300);
    // A small reserve (100 ms) leaves 50 ms, never the fixed 1.5 s that would overrun the timeout.
    const small = Deadline.forInvocation({ getRemainingTimeInMillis: () => 6000 }, 100, 0, c.now);
    c.advance(5900);
    expect(small.cleanupBudgetMs(1500)).toBe(50);
    // Past the end: still a positive timeout (AbortSignal.timeout needs one), the shortest.
    c.advance(1000);
    expect(small.cleanupBudgetMs(1500)).toBe(1);
  });

  it('without a context, uses the local budget', () => {
    const c = clock(0);
    expect(Deadline.forInvocation(undefined, 2000, 60_000, c.now).remainingMs()).toBe(58_000);
  });

  it('never goes below zero, and bounds any wait by what is left', () => {
    const c = clock(0);
    const d = Deadline.forInvocation({ getRemainingTimeInMillis: () => 1500 }, 2000, 0, c.now);
    expect(d.remainingMs()).toBe(0);
    expect(d.expired()).toBe(true);
    const e = new Deadline(1000, 2000, c.now);
    expect(e.bound(2500)).toBe(1000);
    expect(e.bound(400)).toBe(400);
    c.advance(999);
    expect(e.expired()).toBe(false);
    c.advance(1);
    expect(e.expired()).toBe(true);
  });

  it('gives a chained call no more than its budget and no more than is left', () => {
    const c = clock(0);
    const d = new Deadline(10_000, 12_000, c.now);
    expect(d.within(3000).atMs).toBe(3000);
    expect(d.within(50_000).atMs).toBe(10_000);
  });
});
