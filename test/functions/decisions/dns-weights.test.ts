/**
 * Where DNS points, and how it is moved, stated as the operator's rules (README, "dns-switch"):
 * only at the one cluster that answers as active primary; its weighted record to 255 and the
 * other's to 0 in ONE ChangeResourceRecordSets batch (Route 53 applies a batch atomically, so
 * there is never a moment with both at 0,
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html); no
 * change when the weights are already right; a bounded wait for INSYNC. Route 53 is a fake client
 * here that records each command: these are unit tests; moto serves the same calls end to end in
 * test/functions/dns-switch/.
 */
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { chooseDnsTarget } from '../../../functions/dns-switch/choose-primary';
import {
  PRIMARY_WEIGHT,
  SECONDARY_WEIGHT,
  plannedWeights,
  readWeightedRecords,
  submitWeights,
  waitForInsync,
  weightsMatch,
  weightsOf,
} from '../../../functions/dns-switch/switch-weights';
import { Deadline } from '../../../functions/shared/deadline';
import { StepFailedError } from '../../../functions/shared/errors';
import { demoted, erroring, noLeader, primary, secondary, sealed, standalone, unreachable } from './clusters';

describe('chooseDnsTarget: DNS points only at the one cluster that answers as active primary', () => {
  it('points at the only primary, whatever its position', () => {
    expect(chooseDnsTarget([primary('east'), secondary('west')], undefined)).toEqual({ kind: 'switch', primary: 'east' });
    expect(chooseDnsTarget([unreachable('east'), primary('west')], undefined)).toEqual({ kind: 'switch', primary: 'west' });
  });

  it.each([demoted, secondary, standalone, noLeader, sealed, erroring, unreachable])('never points at a cluster that answers as %p', (view) => {
    expect(chooseDnsTarget([view('east'), secondary('west')], undefined)).toEqual({ kind: 'refuse', why: 'no cluster answers as active primary' });
  });

  it('refuses a split brain, and says it is one', () => {
    expect(chooseDnsTarget([primary('east'), primary('west')], undefined)).toEqual({
      kind: 'refuse',
      why: 'both clusters answer as active primary (split brain)',
      next: expect.objectContaining({ event: { operation: 'link', demote: '<cluster>' }, choose: { field: 'demote', from: ['east', 'west'] } }),
    });
  });

  it('without an expected primary, both clusters must have been probed', () => {
    const answer = { kind: 'refuse', why: 'both clusters must be probed' };
    expect(chooseDnsTarget([primary('east')], undefined)).toEqual(answer);
    expect(chooseDnsTarget([], undefined)).toEqual(answer);
    expect(chooseDnsTarget([primary('east'), secondary('west'), secondary('north')], undefined)).toEqual(answer);
  });

  it('with an expected primary, points at it only when it answers as active primary itself', () => {
    expect(chooseDnsTarget([primary('west')], 'west')).toEqual({ kind: 'switch', primary: 'west' });
    expect(chooseDnsTarget([unreachable('east'), primary('west')], 'west')).toEqual({ kind: 'switch', primary: 'west' });
    for (const view of [secondary, noLeader, sealed, unreachable, standalone]) {
      const answer = chooseDnsTarget([view('west')], 'west');
      expect(answer).toEqual({ kind: 'refuse', why: `west was expected to be the active primary but answers as ${view('west').role}` });
    }
    // Another cluster answering as primary does not stand in for the expected one.
    expect(chooseDnsTarget([primary('east')], 'west')).toEqual({ kind: 'refuse', why: 'west was expected to be the active primary but answers as nothing' });
  });
});

describe('the planned weights', () => {
  it('are 255 for the primary and 0 for the other', () => {
    expect(PRIMARY_WEIGHT).toBe(255);
    expect(SECONDARY_WEIGHT).toBe(0);
  });

  it('give the new primary 255 and every other cluster 0, from any starting weights', () => {
    expect(plannedWeights({ east: 255, west: 0 }, 'west')).toEqual({ east: 0, west: 255 });
    expect(plannedWeights({ east: 0, west: 255 }, 'east')).toEqual({ east: 255, west: 0 });
    expect(plannedWeights({ east: 0, west: 0 }, 'east')).toEqual({ east: 255, west: 0 });
    expect(plannedWeights({ east: 17, west: 200 }, 'west')).toEqual({ east: 0, west: 255 });
  });

  it('need no change only when every weight already has its planned value', () => {
    expect(weightsMatch({ east: 255, west: 0 }, { east: 255, west: 0 })).toBe(true);
    expect(weightsMatch({ east: 255, west: 0 }, { east: 0, west: 255 })).toBe(false);
    expect(weightsMatch({ east: 255, west: 1 }, { east: 255, west: 0 })).toBe(false);
    expect(weightsMatch({ east: 255 }, { east: 255, west: 0 })).toBe(false);
    expect(weightsMatch({ east: 255, west: 0 }, { east: 255 })).toBe(false);
  });

  it('read from the records: a record without a weight counts as 0', () => {
    const records = new Map<string, ResourceRecordSet>([
      ['east', { Name: 'vault.example.com.', Type: 'CNAME', SetIdentifier: 'east', Weight: 255 }],
      ['west', { Name: 'vault.example.com.', Type: 'CNAME', SetIdentifier: 'west' }],
    ]);
    expect(weightsOf(records)).toEqual({ east: 255, west: 0 });
  });
});

// ---- Route 53, through a fake client ----

interface Sent {
  readonly command: string;
  readonly input: Record<string, unknown>;
  readonly atMs: number;
  readonly abortSignal: unknown;
}

/** A Route 53 client that answers each command with `answer`; past 50 calls it fails (a loop that never ends). */
function fakeRoute53(answer: (command: object, input: Record<string, unknown>) => unknown) {
  const sent: Sent[] = [];
  const client = {
    send: async (command: { input: Record<string, unknown> }, options?: { abortSignal?: unknown }) => {
      if (sent.length >= 50) throw new Error('Route 53 was asked more than 50 times');
      sent.push({ command: command.constructor.name, input: command.input, atMs: Date.now(), abortSignal: options?.abortSignal });
      return answer(command, command.input);
    },
  } as unknown as Route53Client;
  return { client, sent };
}

const zone = { hostedZoneId: 'Z0123456789', recordName: 'vault.example.com', recordType: 'CNAME' };
const clusters = [
  { name: 'east', address: 'https://east.example.com:8200' },
  { name: 'west', address: 'https://west.example.com:8200' },
];
const record = (setIdentifier: string, weight: number | undefined, extra: Partial<ResourceRecordSet> = {}): ResourceRecordSet => ({
  Name: 'vault.example.com.',
  Type: 'CNAME',
  SetIdentifier: setIdentifier,
  ...(weight === undefined ? {} : { Weight: weight }),
  TTL: 30,
  ResourceRecords: [{ Value: `${setIdentifier}.example.com` }],
  ...extra,
});
const later = () => new Deadline(Date.now() + 60_000, Date.now() + 65_000);

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

describe('readWeightedRecords', () => {
  it('reads both clusters\' weighted records of the name, starting at the name itself', async () => {
    const { client, sent } = fakeRoute53(() => ({ ResourceRecordSets: [record('east', 255), record('west', 0)], IsTruncated: false }));
    const records = await readWeightedRecords(client, zone, clusters, later());
    expect(weightsOf(records)).toEqual({ east: 255, west: 0 });
    expect(records.get('west')).toEqual(record('west', 0));
    expect(sent).toEqual([
      {
        command: ListResourceRecordSetsCommand.name,
        input: { HostedZoneId: 'Z0123456789', StartRecordName: 'vault.example.com.', StartRecordType: 'CNAME', MaxItems: 20 },
        atMs: expect.any(Number),
        abortSignal: expect.any(AbortSignal),
      },
    ]);
  });

  it('matches the name whatever its case or final dot, and only the configured type', async () => {
    const { client, sent } = fakeRoute53(() => ({ ResourceRecordSets: [record('east', 0, { Name: 'VAULT.example.COM.' }), record('west', 255, { Name: 'vault.example.com' })] }));
    const records = await readWeightedRecords(client, { ...zone, recordName: 'Vault.Example.com.' }, clusters, later());
    expect(weightsOf(records)).toEqual({ east: 0, west: 255 });
    expect(sent[0]?.input.StartRecordName).toBe('vault.example.com.');
  });

  it('ignores weighted records of the name that belong to no cluster', async () => {
    const { client } = fakeRoute53(() => ({ ResourceRecordSets: [record('canary', 10), record('east', 255), record('west', 0), record('', 5)] }));
    expect([...(await readWeightedRecords(client, zone, clusters, later())).keys()].sort()).toEqual(['east', 'west']);
  });

  it('follows the pages while they hold the name, from where the last one stopped', async () => {
    const pages = [
      { ResourceRecordSets: [record('east', 255)], IsTruncated: true, NextRecordName: 'vault.example.com.', NextRecordType: 'CNAME', NextRecordIdentifier: 'west' },
      { ResourceRecordSets: [record('west', 0)], IsTruncated: false },
    ];
    const { client, sent } = fakeRoute53(() => pages.shift());
    expect(weightsOf(await readWeightedRecords(client, zone, clusters, later()))).toEqual({ east: 255, west: 0 });
    expect(sent.map((s) => s.input)).toEqual([
      { HostedZoneId: 'Z0123456789', StartRecordName: 'vault.example.com.', StartRecordType: 'CNAME', MaxItems: 20 },
      { HostedZoneId: 'Z0123456789', StartRecordName: 'vault.example.com.', StartRecordType: 'CNAME', StartRecordIdentifier: 'west', MaxItems: 20 },
    ]);
  });

  it('a page without record sets that says more follow is followed', async () => {
    const pages = [
      { IsTruncated: true, NextRecordName: 'vault.example.com.', NextRecordType: 'CNAME' },
      { ResourceRecordSets: [record('east', 255), record('west', 0)], IsTruncated: false },
    ];
    const { client, sent } = fakeRoute53(() => pages.shift());
    expect(weightsOf(await readWeightedRecords(client, zone, clusters, later()))).toEqual({ east: 255, west: 0 });
    expect(sent).toHaveLength(2);
  });

  it('a next page without a type or identifier starts at the name, with the configured type', async () => {
    const pages = [
      { ResourceRecordSets: [record('east', 255)], IsTruncated: true, NextRecordName: 'vault.example.com.' },
      { ResourceRecordSets: [record('west', 0)], IsTruncated: false },
    ];
    const { client, sent } = fakeRoute53(() => pages.shift());
    await readWeightedRecords(client, zone, clusters, later());
    expect(sent[1]?.input).toEqual({ HostedZoneId: 'Z0123456789', StartRecordName: 'vault.example.com.', StartRecordType: 'CNAME', MaxItems: 20 });
  });

  it('stops at the first record of another name or type: the records of one name and type are contiguous', async () => {
    for (const past of [record('west', 0, { Name: 'vaulz.example.com.' }), record('west', 0, { Type: 'TXT' })]) {
      const { client, sent } = fakeRoute53(() => ({
        ResourceRecordSets: [record('east', 255), past, record('west', 0)],
        IsTruncated: true,
        NextRecordName: 'x.example.com.',
      }));
      const error = await failure(readWeightedRecords(client, zone, clusters, later()));
      expect(error.message).toMatch(/with set identifier "west"/);
      expect(sent).toHaveLength(1);
    }
  });

  it('asks no further page once Route 53 says the list is complete', async () => {
    const { client, sent } = fakeRoute53(() => ({ ResourceRecordSets: [record('east', 255)], IsTruncated: false, NextRecordName: 'vault.example.com.' }));
    await failure(readWeightedRecords(client, zone, clusters, later()));
    expect(sent).toHaveLength(1);
    const empty = fakeRoute53(() => ({ IsTruncated: true }));
    await failure(readWeightedRecords(empty.client, zone, clusters, later()));
    expect(empty.sent).toHaveLength(1);
  });

  it('fails, naming the set identifier and the fix, when a cluster has no record', async () => {
    const { client } = fakeRoute53(() => ({ ResourceRecordSets: [record('east', 255), record('West', 0)] }));
    const error = await failure(readWeightedRecords(client, zone, clusters, later()));
    expect(error).toBeInstanceOf(StepFailedError);
    expect(error.message).toBe(
      'hosted zone Z0123456789 has no CNAME record vault.example.com. with set identifier "west"; the weighted records must use the cluster names of VAULT_CLUSTERS as set identifiers',
    );
    expect((error as StepFailedError).next).toBeNull();
  });

  it('fails when a cluster\'s record is not a weighted record', async () => {
    const { client } = fakeRoute53(() => ({ ResourceRecordSets: [record('east', 255), record('west', undefined)] }));
    const error = await failure(readWeightedRecords(client, zone, clusters, later()));
    expect(error).toBeInstanceOf(StepFailedError);
    expect(error.message).toBe('record vault.example.com. (west) is not a weighted record');
    expect((error as StepFailedError).next).toBeNull();
  });
});

describe('submitWeights: both weights in ONE batch', () => {
  const records = () => new Map([['east', record('east', 255)], ['west', record('west', 0)]]);

  it('upserts both records in one change batch: the new primary at 255, the other at 0, nothing else changed', async () => {
    const { client, sent } = fakeRoute53(() => ({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING' } }));
    expect(await submitWeights(client, zone, records(), 'west', later())).toEqual({ changeId: '/change/C1', status: 'PENDING' });
    expect(sent).toEqual([
      {
        command: ChangeResourceRecordSetsCommand.name,
        input: {
          HostedZoneId: 'Z0123456789',
          ChangeBatch: {
            Comment: 'vault-dr dns-switch: west is the primary',
            Changes: [
              { Action: 'UPSERT', ResourceRecordSet: record('east', 0) },
              { Action: 'UPSERT', ResourceRecordSet: record('west', 255) },
            ],
          },
        },
        atMs: expect.any(Number),
        abortSignal: expect.any(AbortSignal),
      },
    ]);
  });

  it('points back the other way just as well', async () => {
    const { client, sent } = fakeRoute53(() => ({ ChangeInfo: { Id: '/change/C2', Status: 'INSYNC' } }));
    const flipped = new Map([['east', record('east', 0)], ['west', record('west', 255)]]);
    expect(await submitWeights(client, zone, flipped, 'east', later())).toEqual({ changeId: '/change/C2', status: 'INSYNC' });
    const batch = sent[0]?.input.ChangeBatch as { Changes: { ResourceRecordSet: ResourceRecordSet }[] };
    expect(batch.Changes.map((c) => [c.ResourceRecordSet.SetIdentifier, c.ResourceRecordSet.Weight])).toEqual([
      ['east', 255],
      ['west', 0],
    ]);
  });

  it('a change without a status is PENDING; a change without an id is a failure', async () => {
    expect(await submitWeights(fakeRoute53(() => ({ ChangeInfo: { Id: '/change/C3' } })).client, zone, records(), 'west', later())).toEqual({ changeId: '/change/C3', status: 'PENDING' });
    for (const answer of [{}, { ChangeInfo: {} }, { ChangeInfo: { Id: '' } }]) {
      const error = await failure(submitWeights(fakeRoute53(() => answer).client, zone, records(), 'west', later()));
      expect(error).toBeInstanceOf(StepFailedError);
      expect(error.message).toBe('Route 53 accepted the change but returned no change id');
    }
  });
});

describe('waitForInsync: a bounded wait', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  /** Runs `promise` on the fake clock, 100 ms at a time. */
  async function onFakeClock<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let i = 0; i < 10_000 && !settled; i++) await jest.advanceTimersByTimeAsync(100);
    return promise;
  }

  /** GetChange answers PENDING until `insyncAtMs` after the start, then INSYNC. */
  const route53 = (insyncAtMs: number) => {
    const start = Date.now();
    return fakeRoute53(() => ({ ChangeInfo: { Id: '/change/C1', Status: Date.now() - start >= insyncAtMs ? 'INSYNC' : 'PENDING' } }));
  };
  const offsets = (sent: readonly Sent[]) => sent.map((s) => s.atMs - 1_000_000);

  it('polls GetChange every poll interval until INSYNC', async () => {
    const { client, sent } = route53(2500);
    expect(await onFakeClock(waitForInsync(client, '/change/C1', 30_000, 1000, later()))).toBe('INSYNC');
    expect(offsets(sent)).toEqual([0, 1000, 2000, 3000]);
    expect(sent.every((s) => s.command === GetChangeCommand.name && s.input.Id === '/change/C1')).toBe(true);
  });

  it('returns at once when the change is already INSYNC', async () => {
    const { client, sent } = route53(0);
    expect(await onFakeClock(waitForInsync(client, '/change/C1', 30_000, 1000, later()))).toBe('INSYNC');
    expect(sent).toHaveLength(1);
  });

  it('waits DNS_SYNC_TIMEOUT_MS at most and then reports the status last seen; a change INSYNC right at the timeout is seen', async () => {
    const pending = route53(Number.POSITIVE_INFINITY);
    expect(await onFakeClock(waitForInsync(pending.client, '/change/C1', 3000, 1000, later()))).toBe('PENDING');
    expect(offsets(pending.sent)).toEqual([0, 1000, 2000, 3000]);
    const atTheEnd = route53(3000);
    expect(await onFakeClock(waitForInsync(atTheEnd.client, '/change/C1', 3000, 1000, later()))).toBe('INSYNC');
  });

  it('never outlives the invocation: it stops when less than a poll interval is left', async () => {
    const { client, sent } = route53(Number.POSITIVE_INFINITY);
    const deadline = new Deadline(Date.now() + 2500, Date.now() + 5000);
    expect(await onFakeClock(waitForInsync(client, '/change/C1', 30_000, 1000, deadline))).toBe('PENDING');
    expect(offsets(sent)).toEqual([0, 1000, 2000]);
  });

  it('a status it cannot read is PENDING', async () => {
    const { client } = fakeRoute53(() => ({}));
    expect(await onFakeClock(waitForInsync(client, '/change/C1', 1000, 1000, later()))).toBe('PENDING');
  });

  it('a GetChange failure once the time is up returns the status last seen: the change itself stands', async () => {
    let calls = 0;
    const { client } = fakeRoute53(() => {
      calls += 1;
      if (calls === 1) return { ChangeInfo: { Id: '/change/C1', Status: 'PENDING' } };
      throw new Error('Request aborted');
    });
    const deadline = new Deadline(Date.now() + 1000, Date.now() + 5000);
    expect(await onFakeClock(waitForInsync(client, '/change/C1', 30_000, 1000, deadline))).toBe('PENDING');
    expect(calls).toBe(2);
  });

  it('with no time left at all, the change just submitted is reported PENDING', async () => {
    const { client } = fakeRoute53(() => {
      throw new Error('Request aborted');
    });
    expect(await onFakeClock(waitForInsync(client, '/change/C1', 30_000, 1000, new Deadline(Date.now(), Date.now() + 1000)))).toBe('PENDING');
  });

  it('a GetChange failure with time left is a failure', async () => {
    const { client } = fakeRoute53(() => {
      throw new Error('Throttling: Rate exceeded');
    });
    await expect(onFakeClock(waitForInsync(client, '/change/C1', 30_000, 1000, later()))).rejects.toThrow('Throttling: Rate exceeded');
  });
});
