/**
 * The CLI's parts that the end-to-end tests cannot reach, with expectations written from the
 * contracts they read: the live-tail path (moto's StartLiveTail answers with a log group other than
 * the one asked for once there are several, so it is served here from a recorded stream fixture,
 * encoded in the AWS event-stream format by the SDK's own codec and read by the real client), the
 * fallback to polling, the progress lines, the next-command lines, the exit codes, the
 * confirmation text and the flags.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CloudWatchLogsClient, type StartLiveTailResponseStream } from '@aws-sdk/client-cloudwatch-logs';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { describePlan } from '../../cli/confirm';
import { EXIT_CODES, reasonOfErrorKind, reasonOfOutcome } from '../../cli/exit-codes';
import { follow, liveTailMessages, type FollowMode } from '../../cli/log-follow';
import { progressOf, type ProgressEvent } from '../../cli/log-lines';
import { nextCommandLine } from '../../cli/next-command';
import { renderAnswer, renderFunctionError } from '../../cli/render';
import { readOperationToken, readSecondaryToken } from '../../cli/secret-input';
import { FlagError, resolveTarget } from '../../cli/target';
import { renderWatchdog, watchdogExit } from '../../cli/watchdog';
import { InputError, RefusedError, StepFailedError } from '../../functions/shared/errors';

interface Fixture {
  readonly invocation: string;
  readonly events: readonly StartLiveTailResponseStream[];
}
const FIXTURE = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'live-tail-switchover.json'), 'utf8')) as Fixture;
const GROUP = '/aws/lambda/dr-operations-dev-test';
const ARN = `arn:aws:logs:us-west-2:123456789012:log-group:${GROUP}`;

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);
const header = (value: string) => ({ type: 'string' as const, value });

/** The fixture as StartLiveTail's HTTP body: an initial response, then one message per event (as the service, and moto, frame it). */
function eventStreamBody(events: readonly StartLiveTailResponseStream[], exception?: { type: string; message: string }): Buffer {
  const messages = [codec.encode({ headers: { ':message-type': header('event'), ':event-type': header('initial-response') }, body: new Uint8Array() })];
  for (const event of events) {
    const [type, payload] = Object.entries(event)[0] as [string, unknown];
    messages.push(codec.encode({ headers: { ':message-type': header('event'), ':event-type': header(type), ':content-type': header('application/json') }, body: new Uint8Array(Buffer.from(JSON.stringify(payload))) }));
  }
  if (exception) {
    messages.push(codec.encode({ headers: { ':message-type': header('exception'), ':exception-type': header(exception.type), ':content-type': header('application/json') }, body: new Uint8Array(Buffer.from(JSON.stringify({ message: exception.message }))) }));
  }
  return Buffer.concat(messages.map((m) => Buffer.from(m)));
}

/** A CloudWatch Logs endpoint that serves the fixture: DescribeLogGroups, StartLiveTail (or a refusal), FilterLogEvents. */
async function fixtureEndpoint(options: { liveTail: 'stream' | 'denied'; exception?: { type: string; message: string } }): Promise<{ endpoint: string; calls: string[]; close(): Promise<void> }> {
  const calls: string[] = [];
  const lines = FIXTURE.events.flatMap((e) => e.sessionUpdate?.sessionResults ?? []);
  const server: Server = createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '').replace('Logs_20140328.', '');
    calls.push(target);
    req.resume();
    req.on('end', () => {
      const json = (status: number, body: unknown, errorType?: string) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
        res.end(JSON.stringify(body));
      };
      if (target === 'DescribeLogGroups') return json(200, { logGroups: [{ logGroupName: GROUP, arn: `${ARN}:*`, logGroupArn: ARN }] });
      if (target === 'FilterLogEvents') return json(200, { events: lines.map((l, i) => ({ ...l, eventId: String(i) })) });
      if (target === 'StartLiveTail') {
        if (options.liveTail === 'denied') return json(400, { __type: 'AccessDeniedException', message: 'not authorized to perform: logs:StartLiveTail' }, 'AccessDeniedException');
        res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
        res.end(eventStreamBody(FIXTURE.events, options.exception));
        return;
      }
      json(400, { __type: 'UnknownOperationException' }, 'UnknownOperationException');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { endpoint: `http://127.0.0.1:${port}`, calls, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function followFixture(mode: FollowMode, endpoint: string, runMs = 600): Promise<{ events: ProgressEvent[]; notes: string[] }> {
  const client = new CloudWatchLogsClient({ endpoint, region: 'us-west-2', credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test' }, disableHostPrefix: true });
  const events: ProgressEvent[] = [];
  const notes: string[] = [];
  const follower = follow({
    client,
    logGroupName: GROUP,
    term: FIXTURE.invocation,
    mode,
    sinceMs: 0,
    pollMs: 100,
    onMessage: (m) => {
      const p = progressOf(m, FIXTURE.invocation);
      if (p) events.push(p);
    },
    onNote: (n) => notes.push(n),
  });
  await new Promise((r) => setTimeout(r, runMs));
  await follower.stop();
  client.destroy();
  return { events, notes };
}

const endedSteps = (events: readonly ProgressEvent[]) => events.flatMap((e) => (e.kind === 'ended' ? [e.entry.step] : []));

describe('following the function\'s log group', () => {
  it('reads a recorded live tail session through the SDK: every step of this invocation once, in order, nothing else', async () => {
    const server = await fixtureEndpoint({ liveTail: 'stream' });
    try {
      const { events } = await followFixture('live', server.endpoint);
      const ended = endedSteps(events);
      expect(ended).toEqual([
        'take lease',
        'probe clusters',
        'log in to east',
        'demote east',
        'wait for east to be DR secondary',
        'promote west',
        'wait for west to be active primary',
        'switch DNS',
        'generate public key on east',
        'log in to west',
        'issue activation token on west',
        'update primary of east',
        'wait for east to stream from west',
      ]);
      // Each step was seen starting before it ended.
      for (const step of ended) {
        const started = events.findIndex((e) => e.kind === 'started' && e.step === step);
        expect(started).toBeGreaterThanOrEqual(0);
        expect(started).toBeLessThan(events.findIndex((e) => e.kind === 'ended' && e.entry.step === step));
      }
      expect(server.calls[0]).toBe('DescribeLogGroups');
      expect(server.calls).toContain('StartLiveTail');
      expect(server.calls).not.toContain('FilterLogEvents');
    } finally {
      await server.close();
    }
  });

  it('parses the stream\'s exception events as the end of the session (SessionTimeoutException)', async () => {
    async function* stream(): AsyncGenerator<StartLiveTailResponseStream> {
      yield* FIXTURE.events.slice(0, 2);
      yield { SessionTimeoutException: { name: 'SessionTimeoutException', message: 'session reached 3 hours' } as never };
    }
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const line of liveTailMessages(stream())) seen.push(line.message);
      })(),
    ).rejects.toThrow(/live tail session timed out: session reached 3 hours/);
    expect(seen.length).toBe((FIXTURE.events[1]?.sessionUpdate?.sessionResults ?? []).length);
  });

  it('auto: polls FilterLogEvents when live tail is refused, and says so once', async () => {
    const server = await fixtureEndpoint({ liveTail: 'denied' });
    try {
      const { events, notes } = await followFixture('auto', server.endpoint);
      expect(endedSteps(events)).toHaveLength(13);
      expect(notes).toEqual(['live tail is not available (AccessDeniedException); polling the function\'s logs instead']);
      expect(server.calls).toContain('FilterLogEvents');
    } finally {
      await server.close();
    }
  });

  it('auto: a session that ends with an exception is taken over by polling, without showing a step twice', async () => {
    const server = await fixtureEndpoint({ liveTail: 'stream', exception: { type: 'SessionStreamingException', message: 'internal' } });
    try {
      const { events } = await followFixture('auto', server.endpoint);
      expect(endedSteps(events)).toHaveLength(13);
      expect(server.calls).toEqual(expect.arrayContaining(['StartLiveTail', 'FilterLogEvents']));
    } finally {
      await server.close();
    }
  });
});

describe('progress lines', () => {
  const line = (fields: Record<string, unknown>) => JSON.stringify({ time: '2026-12-02T01:00:00.000Z', level: 'info', function: 'dr-operations', ...fields });
  it('takes the started and ended lines of this invocation only', () => {
    expect(progressOf(line({ message: 'step started', invocation: 'inv-12345', step: 'probe clusters', startedAt: 'T' }), 'inv-12345')).toEqual({ kind: 'started', step: 'probe clusters', at: 'T' });
    expect(progressOf(line({ message: 'step started', invocation: 'other-1234', step: 'probe clusters' }), 'inv-12345')).toBeUndefined();
    expect(progressOf(line({ message: 'failover did not complete', invocation: 'inv-12345' }), 'inv-12345')).toBeUndefined();
    expect(progressOf('START RequestId: 1 Version: $LATEST', 'inv-12345')).toBeUndefined();
    expect(progressOf('{not json', 'inv-12345')).toBeUndefined();
  });
});

describe('next commands as command lines', () => {
  const flags = { environment: 'prod', identifier: 'payments', region: 'eu-west-1' };
  it('turns an event into flags, with the deployment flags of this run', () => {
    expect(nextCommandLine({ function: 'dr-operations', event: { operation: 'failover', force: true }, why: 'x' }, flags)).toBe('vault-dr failover --force --environment prod --identifier payments --region eu-west-1');
  });

  it('shows a field to choose as its choices', () => {
    expect(nextCommandLine({ function: 'dr-operations', event: { operation: 'link', demote: '<cluster>' }, why: 'x', choose: { field: 'demote', from: ['use1', 'usw2'] } }, {})).toBe('vault-dr link --demote <use1|usw2>');
  });

  it('never prints a credential: a token field becomes the flag of a file', () => {
    const line = nextCommandLine({ function: 'dr-operations', event: { operation: 'bootstrap', primary: 'east', secondaryToken: 'hvs.CAESIJustAToken', drOperationToken: 'hvb.AAAAAQ' }, why: 'x' }, {});
    expect(line).toBe('vault-dr bootstrap --primary east --secondary-token-file <file> --dr-operation-token-file <file>');
    expect(line).not.toContain('hvs.');
  });

  it('names the performance secondary of a link by the flag vault-dr link takes', () => {
    expect(nextCommandLine({ function: 'dr-operations', event: { operation: 'link', performanceSecondary: 'south' }, why: 'x' }, {})).toBe('vault-dr link --performance-secondary south');
  });

  it('names the performance secondary of a bootstrap by its flag, and its token by the file flag', () => {
    const line = nextCommandLine({ function: 'dr-operations', event: { operation: 'bootstrap', performanceSecondary: 'south', force: true, secondaryToken: '<a token of south>' }, why: 'x' }, {});
    expect(line).toBe('vault-dr bootstrap --performance-secondary south --force --secondary-token-file <file>');
  });

  it('names the commands of the other functions, and quotes what a shell would split', () => {
    expect(nextCommandLine({ function: 'dns-switch', event: {}, why: 'x' }, { profile: 'dr ops' })).toBe("vault-dr dns-switch --profile 'dr ops'");
    expect(nextCommandLine({ function: 'dr-token-generator', event: {}, why: 'x' }, {})).toBe('vault-dr refresh-token');
  });
});

describe('a function error as the operator reads it', () => {
  const flags = { environment: 'dev', identifier: 'test' };
  const next = { function: 'dr-operations' as const, event: { operation: 'link' }, why: 'west must stream again first' };
  const asPayload = (err: RefusedError | StepFailedError | InputError) => ({ message: err.message, details: err.details });

  it('says the operation and the outcome once when the reason already starts with them', () => {
    const err = new RefusedError('switchover refused: west is not a healthy DR secondary', { next }).attach({ changed: [], clusters: ['east: primary', 'west: dr-secondary (merkle-sync)'], next });
    const { message, details } = asPayload(err);
    const lines = renderFunctionError('switchover', message, details, flags).split('\n');
    expect(lines[0]).toBe('switchover refused: west is not a healthy DR secondary');
    expect(lines.filter((l) => l.includes('switchover refused'))).toHaveLength(1);
    expect(lines).toContain('Changed: nothing');
    expect(lines).toContain('  - west: dr-secondary (merkle-sync)');
    expect(lines).toContain('Next: vault-dr link --environment dev --identifier test');
  });

  it('puts the operation and the kind before a reason that does not name them', () => {
    const err = new StepFailedError('west accepted the promote but is not active yet: timed out', { next }).attach({ changed: ['demoted east'], clusters: [], next });
    const { message, details } = asPayload(err);
    const text = renderFunctionError('failover', message, details, flags);
    expect(text.split('\n')[0]).toBe('failover step-failed: west accepted the promote but is not active yet: timed out');
    expect(text).toContain('Changed: demoted east');
  });

  it('an input error: the field at fault, and correcting it as the next step', () => {
    const err = new InputError('demote', 'must name one of the clusters (east, west), got "north"').attach({ changed: [], clusters: [], next: null });
    const text = renderFunctionError('link', err.message, err.details, flags);
    expect(text.split('\n')[0]).toBe('link input: demote: must name one of the clusters (east, west), got "north"');
    expect(text).toContain('Next: correct what the message names and run it again.');
  });

  it('an error without the DR functions\' details (a runtime error) is shown whole, once', () => {
    expect(renderFunctionError('status', 'Task timed out after 30.00 seconds', undefined, flags)).toBe('status failed: Task timed out after 30.00 seconds\n\n');
  });
});

describe('exit codes', () => {
  it('has one code per outcome, all different', () => {
    expect(new Set(Object.values(EXIT_CODES)).size).toBe(Object.keys(EXIT_CODES).length);
  });

  it('maps each error kind and outcome', () => {
    expect(['input', 'refused', 'busy', 'step-failed', 'deadline', undefined].map(reasonOfErrorKind)).toEqual(['input', 'refused', 'busy', 'stepFailed', 'deadline', 'unexpected']);
    expect(reasonOfOutcome('succeeded', { status: false, next: { why: 'run link' } })).toBe('succeeded');
    expect(reasonOfOutcome('succeeded', { status: true, next: { why: 'run link' } })).toBe('attention');
    expect(reasonOfOutcome('succeeded', { status: true, next: null })).toBe('succeeded');
    expect(reasonOfOutcome('no-op', { status: false, next: null })).toBe('noOp');
    expect(reasonOfOutcome('dry-run', { status: false, next: null })).toBe('dryRun');
  });
});

describe('the confirmation names the clusters', () => {
  const status = {
    clusters: [
      { name: 'use1', role: 'unreachable', reachable: false },
      { name: 'usw2', role: 'dr-secondary', drState: 'stream-wals' },
    ],
  };
  it('failover: which cluster is promoted and which must be down', () => {
    expect(describePlan({ command: 'failover', force: false }, status)).toEqual(['failover: promotes usw2 (dr-secondary) once use1 (unreachable) is confirmed down, then moves DNS to it.']);
  });

  it('bootstrap: which cluster leads and whose data is replaced', () => {
    const lines = describePlan({ command: 'bootstrap', force: false, primary: 'use1' }, { clusters: [{ name: 'use1', role: 'standalone' }, { name: 'usw2', role: 'standalone' }] });
    expect(lines[0]).toBe('bootstrap: makes use1 (standalone) the DR primary and usw2 (standalone) its DR secondary.');
    expect(lines[1]).toMatch(/^ALL DATA ON usw2 IS REPLACED by use1's/);
  });

  it('link --performance-secondary: which cluster it points at which, and that the DR pair stays', () => {
    const lines = describePlan({ command: 'link', force: false, performanceSecondary: 'euw1' }, { clusters: [{ name: 'use1', role: 'primary' }, { name: 'usw2', role: 'dr-secondary' }] });
    expect(lines).toEqual(['link --performance-secondary euw1: makes euw1 follow use1 (primary), the DR primary (update-primary; it keeps its own data and resyncs); the DR pair is left as it is.']);
  });

  it('bootstrap --performance-secondary: which cluster follows which, and whose data is replaced', () => {
    const lines = describePlan({ command: 'bootstrap', force: false, performanceSecondary: 'euw1' }, { clusters: [{ name: 'use1', role: 'primary' }, { name: 'usw2', role: 'dr-secondary' }] });
    expect(lines[0]).toBe('bootstrap --performance-secondary euw1: makes euw1 a performance secondary of use1 (primary), the DR primary (enabling performance replication on it if needed); the DR pair is left as it is.');
    expect(lines[1]).toMatch(/^ALL DATA ON euw1 IS REPLACED by use1's/);
  });
});

describe('flags', () => {
  it('finds the functions by the construct\'s naming rule', () => {
    expect(resolveTarget({ environment: 'prod', identifier: 'payments' }).functions).toEqual({
      'dr-operations': 'dr-operations-prod-payments',
      'dns-switch': 'dns-switch-prod-payments',
      'dr-token-generator': 'dr-token-generator-prod-payments',
      'dr-watchdog': 'dr-watchdog-prod-payments',
    });
  });

  it('refuses half a name and names that are no Lambda names', () => {
    expect(() => resolveTarget({ environment: 'prod' })).toThrow(new FlagError('--identifier: is required with --environment (the functions are named <purpose>-<environment>-<identifier>)'));
    expect(() => resolveTarget({ functionName: 'dr ops' })).toThrow(/--function-name: must be 1 to 64 letters/);
  });
});

describe('the secondary token', () => {
  const token = 'hvs.NotARealTokenButShapedLikeOne';
  it('is read from a file, from standard input with -, or from VAULT_DR_SECONDARY_TOKEN, trimmed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-dr-secret-'));
    try {
      writeFileSync(join(dir, 't'), `${token}\n`);
      expect(await readSecondaryToken(join(dir, 't'), {}, Readable.from([]))).toBe(token);
      expect(await readSecondaryToken('-', {}, Readable.from([Buffer.from(`  ${token}\n`)]))).toBe(token);
      expect(await readSecondaryToken(undefined, { VAULT_DR_SECONDARY_TOKEN: token }, Readable.from([]))).toBe(token);
      expect(await readSecondaryToken(undefined, {}, Readable.from([]))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a value that is not one token without repeating it', async () => {
    const error = await readSecondaryToken(undefined, { VAULT_DR_SECONDARY_TOKEN: `${token} ${token}` }, Readable.from([])).catch((e: Error) => e);
    expect(error).toEqual(new FlagError('VAULT_DR_SECONDARY_TOKEN: must hold one token (its value is not shown)'));
    const missing = await readSecondaryToken('/nonexistent/token', {}, Readable.from([])).catch((e: Error) => e);
    expect((missing as Error).message).toBe('--secondary-token-file: cannot read /nonexistent/token: ENOENT');
  });
});

describe('the break-glass DR operation token', () => {
  const token = 'hvs.NotARealTokenButShapedLikeOne';
  it('is read from --dr-operation-token-file or VAULT_DR_OPERATION_TOKEN, and not from the secondary token\'s variable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-dr-secret-'));
    try {
      writeFileSync(join(dir, 't'), `${token}\n`);
      expect(await readOperationToken(join(dir, 't'), {}, Readable.from([]))).toBe(token);
      expect(await readOperationToken(undefined, { VAULT_DR_OPERATION_TOKEN: token }, Readable.from([]))).toBe(token);
      expect(await readOperationToken(undefined, { VAULT_DR_SECONDARY_TOKEN: token }, Readable.from([]))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const error = await readOperationToken(undefined, { VAULT_DR_OPERATION_TOKEN: `${token} x` }, Readable.from([])).catch((e: Error) => e);
    expect(error).toEqual(new FlagError('VAULT_DR_OPERATION_TOKEN: must hold one token (its value is not shown)'));
  });

  it('is the flag a next command names for the drOperationToken placeholder', () => {
    expect(nextCommandLine({ function: 'dr-operations', event: { operation: 'failover', drOperationToken: '<DR operation token>' }, why: 'x' }, {})).toBe('vault-dr failover --dr-operation-token-file <file>');
  });
});

describe('an answer as the operator reads it', () => {
  it('shows the reason and that a break-glass token was used, and neither when the answer has none', () => {
    const answer = { operation: 'failover', outcome: 'succeeded', summary: 'west is the active primary', reason: 'INC-7', breakGlassToken: true, next: null };
    const lines = renderAnswer('failover', answer, {}).split('\n');
    expect(lines.slice(0, 3)).toEqual(['failover succeeded: west is the active primary', '', 'Reason: INC-7']);
    expect(lines).toContain('Break glass: the DR operation token given was used for this invocation only (not stored)');
    const plain = renderAnswer('failover', { ...answer, reason: undefined, breakGlassToken: undefined }, {});
    expect(plain).not.toMatch(/Reason:|Break glass/);
  });
});

describe('the watchdog as the operator reads it', () => {
  const base = { command: 'status' as const, mode: 'auto' as const, armed: true, state: { armed: true }, action: { kind: 'none' as const, why: 'the primary answers' }, evidence: [], rounds: [] };
  it('status: 0 when armed and the rule is not met; 12 when an auto watchdog is disarmed, with arm as the next command', () => {
    expect(watchdogExit(base)).toBe('succeeded');
    const disarmed = { ...base, armed: false, state: { armed: false, disarmedAtMs: Date.parse('2026-12-02T01:00:00Z'), disarmedBecause: 'after its automatic failover', lastFailover: { atMs: Date.parse('2026-12-02T01:00:00Z'), primary: 'use1', target: 'usw2', outcome: 'succeeded' } } };
    expect(watchdogExit(disarmed)).toBe('attention');
    const text = renderWatchdog(disarmed, { environment: 'prod', identifier: 'payments' });
    expect(text).toMatch(/^watchdog status: mode auto, DISARMED since 2026-12-02T01:00:00.000Z \(after its automatic failover\)\n/);
    expect(text).toContain('Last automatic failover: 2026-12-02T01:00:00.000Z, use1 -> usw2, succeeded');
    expect(text).toContain("Next: vault-dr watchdog arm --reason <why> --environment prod --identifier payments");
  });

  it('status: 12 when the rule is met (held back or failing over); a disarmed notify watchdog needs no arm to do its job', () => {
    const held = { ...base, mode: 'notify' as const, action: { kind: 'hold' as const, because: 'mode-notify' as const, why: 'notify mode: would fail over now', primary: 'use1', secondary: 'usw2' } };
    expect(watchdogExit(held)).toBe('attention');
    expect(renderWatchdog(held, {})).toContain('Rule: MET for use1 -> usw2, held back (mode-notify): notify mode: would fail over now');
    expect(watchdogExit({ ...base, mode: 'notify', armed: false, state: { armed: false } })).toBe('succeeded');
    expect(watchdogExit({ ...base, command: 'disarm', armed: false, state: { armed: false } })).toBe('succeeded');
  });
});
