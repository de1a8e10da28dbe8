/**
 * Follows a function's log group while an invocation runs: CloudWatch Logs live tail
 * (StartLiveTail, a response event stream that pushes new lines within seconds), and where live
 * tail is not to be had (no permission for logs:StartLiveTail, an endpoint that does not serve it,
 * a session that ends early) FilterLogEvents every `pollMs` from where it stood. Each line is
 * handed to `onMessage` once. Lines are matched on the invocation id server side (a filter
 * pattern) and again by the caller.
 */
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  StartLiveTailCommand,
  type StartLiveTailResponseStream,
} from '@aws-sdk/client-cloudwatch-logs';

export type FollowMode = 'auto' | 'live' | 'poll' | 'none';

export interface FollowOptions {
  readonly client: CloudWatchLogsClient;
  readonly logGroupName: string;
  /** A term every line of this invocation holds (its id). */
  readonly term: string;
  readonly mode: FollowMode;
  /** Epoch ms: lines before this are not looked at. */
  readonly sinceMs: number;
  readonly pollMs: number;
  readonly onMessage: (message: string) => void;
  /** Told once when following changes path (live tail unavailable, polling instead). */
  readonly onNote?: (note: string) => void;
}

export interface Follower {
  /** Stops following; resolves once the last fetch has been handed over. */
  stop(): Promise<void>;
}

/** A line seen once: its stream, time and text (live tail results carry no event id). */
const keyOf = (stream: string | undefined, timestamp: number | undefined, message: string | undefined): string => `${stream}\u0000${timestamp}\u0000${message}`;

/** The messages of a live tail response stream, in order; an exception event ends it with an error. */
export async function* liveTailMessages(stream: AsyncIterable<StartLiveTailResponseStream>): AsyncGenerator<{ stream?: string; timestamp?: number; message: string }> {
  for await (const event of stream) {
    if (event.sessionUpdate) {
      for (const result of event.sessionUpdate.sessionResults ?? []) {
        if (typeof result.message === 'string') yield { ...(result.logStreamName ? { stream: result.logStreamName } : {}), ...(result.timestamp !== undefined ? { timestamp: result.timestamp } : {}), message: result.message };
      }
    } else if (event.SessionTimeoutException) {
      throw Object.assign(new Error(`live tail session timed out: ${event.SessionTimeoutException.message ?? ''}`), { name: 'SessionTimeoutException' });
    } else if (event.SessionStreamingException) {
      throw Object.assign(new Error(`live tail stream failed: ${event.SessionStreamingException.message ?? ''}`), { name: 'SessionStreamingException' });
    }
  }
}

export function follow(options: FollowOptions): Follower {
  if (options.mode === 'none') return { stop: async () => undefined };
  const seen = new Set<string>();
  const abort = new AbortController();
  let stopped = false;
  let latestMs = options.sinceMs;
  const hand = (stream: string | undefined, timestamp: number | undefined, message: string) => {
    const key = keyOf(stream, timestamp, message);
    if (seen.has(key)) return;
    seen.add(key);
    if (timestamp !== undefined) latestMs = Math.max(latestMs, timestamp);
    options.onMessage(message);
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      abort.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  const filterPattern = `"${options.term}"`;

  async function pollOnce(): Promise<void> {
    let nextToken: string | undefined;
    // A little before the newest line seen: events can be ingested out of order.
    const startTime = Math.max(options.sinceMs, latestMs - 5000);
    do {
      const page = await options.client.send(
        new FilterLogEventsCommand({ logGroupName: options.logGroupName, startTime, filterPattern, ...(nextToken ? { nextToken } : {}) }),
        { abortSignal: abort.signal },
      );
      for (const event of page.events ?? []) if (typeof event.message === 'string') hand(event.logStreamName, event.timestamp, event.message);
      nextToken = page.nextToken;
    } while (nextToken !== undefined && !stopped);
  }

  async function poll(): Promise<void> {
    while (!stopped) {
      try {
        await pollOnce();
      } catch (err) {
        if (stopped) return;
        options.onNote?.(`could not read the function's logs (${(err as Error).name}: ${(err as Error).message}); progress is shown when the answer comes`);
        return;
      }
      await sleep(options.pollMs);
    }
  }

  async function live(): Promise<boolean> {
    const groups = await options.client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: options.logGroupName }), { abortSignal: abort.signal });
    const group = groups.logGroups?.find((g) => g.logGroupName === options.logGroupName);
    const arn = group?.logGroupArn ?? group?.arn?.replace(/:\*$/, '');
    if (arn === undefined) throw Object.assign(new Error(`log group ${options.logGroupName} not found`), { name: 'ResourceNotFoundException' });
    const session = await options.client.send(new StartLiveTailCommand({ logGroupIdentifiers: [arn], logEventFilterPattern: filterPattern }), { abortSignal: abort.signal });
    if (session.responseStream === undefined) return false;
    for await (const line of liveTailMessages(session.responseStream)) hand(line.stream, line.timestamp, line.message);
    return true;
  }

  const running = (async () => {
    if (options.mode === 'poll') return poll();
    try {
      // A session that ends while the invocation still runs (the service closed it, or an endpoint
      // that answers with what it has and closes) is taken up again: live mode restarts it, auto
      // mode polls from where it stood.
      while (!stopped) {
        await live();
        if (stopped) return;
        if (options.mode === 'auto') {
          return poll();
        }
        await sleep(options.pollMs);
      }
    } catch (err) {
      if (stopped) return;
      if (options.mode === 'live') {
        options.onNote?.(`live tail is not available (${(err as Error).name}: ${(err as Error).message}); progress is shown when the answer comes`);
        return;
      }
      options.onNote?.(`live tail is not available (${(err as Error).name}); polling the function's logs instead`);
      return poll();
    }
  })();

  return {
    async stop() {
      if (!stopped) {
        // One last look: lines written just before the answer came back.
        if (options.mode !== 'live') await pollOnce().catch(() => undefined);
      }
      stopped = true;
      abort.abort();
      await running.catch(() => undefined);
    },
  };
}
