/**
 * The version rule end to end: the real handler against simulated clusters whose sys/health reports
 * their versions. HashiCorp: "It is not safe to replicate from a newer version of Vault to an older
 * version" (DR API, promote), and replicated deployments upgrade the secondaries first, then the
 * primary in place. A switchover that would make the upgraded secondary the primary of the older
 * one refuses and changes nothing; a disaster failover to it is not blocked, and names the upgrade.
 */
import { runOperation, type OperationAnswer } from '../../../functions/dr-operations/handler';
import { RefusedError } from '../../../functions/shared/errors';
import type { DrWorld, DrWorldOptions } from '../../support/dr-harness';
import { freshWorlds } from '../../support/testbed';
import { captureStdout } from '../../support/log-capture';

jest.setTimeout(20_000);

const OLD = '1.21.0+ent';
const NEW = '1.21.3+ent';
const testbed = freshWorlds();
const newWorld = (options: DrWorldOptions = {}): Promise<DrWorld> => testbed.create(options);

async function invoke(w: DrWorld, event: unknown): Promise<{ result?: OperationAnswer; error?: Error }> {
  const { result, error } = await captureStdout(() => runOperation(event, w.env.operations));
  return { ...(result === undefined ? {} : { result: result as OperationAnswer }), ...(error ? { error: error as Error } : {}) };
}

const writesTo = (w: DrWorld): string[] => w.vault.clusters.flatMap((c) => c.requests().filter((r) => r.method !== 'GET').map((r) => `${c.name} ${r.path}`));

it('switchover with the DR secondary upgraded and the primary not yet: refused, forced or not, naming both versions; nothing changed', async () => {
  const w = await newWorld({ versions: [OLD, NEW] });
  await w.storeDrToken();
  for (const event of [{ operation: 'switchover' }, { operation: 'switchover', force: true }]) {
    const { error } = await invoke(w, event);
    expect(error).toBeInstanceOf(RefusedError);
    expect(error?.message).toContain(`west runs Vault ${NEW}, newer than east's ${OLD}`);
    expect(error?.message).toContain(`upgrade east to ${NEW} or later first`);
  }
  expect(writesTo(w)).toEqual([]);
  expect(w.vault.cluster('east').drMode()).toBe('primary');
  expect(w.vault.cluster('west').drStatus()).toMatchObject({ state: 'stream-wals', connection_state: 'ready' });
  expect(await w.weights()).toEqual({ east: 255, west: 0 });
});

it('switchover once both run the new version: done', async () => {
  const w = await newWorld({ versions: [NEW, NEW] });
  await w.storeDrToken();
  const { result, error } = await invoke(w, { operation: 'switchover' });
  expect(error).toBeUndefined();
  expect(result?.outcome).toBe('succeeded');
  expect(w.vault.cluster('west').drMode()).toBe('primary');
});

it('a disaster failover to an upgraded DR secondary is not blocked; the next command says the old primary must run the new version first', async () => {
  const w = await newWorld({ versions: [OLD, NEW] });
  await w.storeDrToken();
  await w.vault.cluster('east').setFault('down');
  const { result, error } = await invoke(w, { operation: 'failover' });
  expect(error).toBeUndefined();
  expect(w.vault.cluster('west').drMode()).toBe('primary');
  expect(result?.next).toEqual(expect.objectContaining({ event: { operation: 'link', demote: 'east' }, why: expect.stringContaining(`once it runs Vault ${NEW} or later`) }));
  // east returns on the old version: link demotes it (one writer) and does not re-attach it.
  await w.vault.cluster('east').setFault('none');
  const linked = await invoke(w, { operation: 'link', demote: 'east' });
  expect(linked.error?.message).toMatch(new RegExp(`east was demoted \\(west is the only primary\\), but it is not re-attached: west runs Vault ${NEW.replace(/[.+]/g, '\\$&')}, newer than east's`));
  expect(w.vault.cluster('east').drMode()).toBe('secondary');
  expect(w.vault.primaryNames()).toEqual(['west']);
});
