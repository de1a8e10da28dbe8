/**
 * Differential conformance: the same requests go to the simulator (a cluster with DR disabled,
 * like a server without Enterprise replication) and to a real server, OpenBao (an open-source fork
 * of Vault; `bao server -dev`, one per file), for the part of Vault's API both serve. Every
 * difference must be one of the known divergences (divergences.ts, each with its reason in the
 * README); every known divergence must still show. Then the policy engine is checked against
 * OpenBao's on the policies this project writes and on generated ones (fast-check; a failure prints
 * its seed; replay with CONFORMANCE_SEED=<seed>).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { drOperationPolicyText, tokenCreatorPolicyText } from '../../../modules/dr-automation/private/vault-dr-access';
import { type OpenBaoServer, startOpenBao } from '../../support/openbao';
import { startVaultPair, vaultRequest } from '../index';
import { FORMATS, decodeToken, encodeToken } from '../token-formats';
import type { VaultPair } from '../types';
import { type Difference, describeDifference, differences } from './compare';
import { ALL_DIVERGENCE_IDS, DIVERGENCES } from './divergences';
import { SCENARIOS, Session } from './scenarios';
import { type RawResponse, type Target, openBaoTarget, simulatorTarget } from './targets';

jest.setTimeout(120_000);

let bao: OpenBaoServer;
let pair: VaultPair;
let simulator: Target;
let openbao: Target;

beforeAll(async () => {
  [bao, pair] = await Promise.all([startOpenBao(), startVaultPair({ initialState: 'primary-only', nodes: 1 })]);
  // clusters[1] has DR replication disabled: it answers as a server without replication would. One
  // node, like the dev server: with five, the load balancer may send sys/health to a standby (429).
  simulator = simulatorTarget(pair, 1);
  openbao = openBaoTarget(bao);
});
afterAll(async () => {
  await Promise.all([bao?.stop(), pair?.stop()]);
});

describe('the same requests to the simulator and to OpenBao', () => {
  const seen = new Set<string>();

  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s: every difference is a known divergence', async (_name, scenario) => {
    const sim = new Session(simulator);
    const real = new Session(openbao);
    await Promise.all([scenario.run(sim), scenario.run(real)]);
    const unexplained: Difference[] = [];
    for (const difference of differences(scenario.name, sim.exchanges, real.exchanges)) {
      const divergence = DIVERGENCES.find((d) => d.matches(difference));
      if (divergence === undefined) unexplained.push(difference);
      else seen.add(divergence.id);
    }
    expect(unexplained.map(describeDifference)).toEqual([]);
    // The scenario really exercised both servers: a run where both answered 404 everywhere proves nothing.
    expect(sim.exchanges.filter((e) => e.status < 300).length).toBeGreaterThan(0);
  });

  it('sees every known divergence (a listed one that no longer shows must be removed from the list and the README)', () => {
    expect(DIVERGENCES.map((d) => d.id).filter((id) => !seen.has(id))).toEqual([]);
  });

  it('issues Vault 1.10+ token formats where OpenBao issues the legacy ones (divergence token-prefixes)', async () => {
    const body = { policies: ['default'], ttl: '5m' };
    const role = { allowed_policies: ['default'], orphan: true, renewable: false, token_type: 'batch' };
    const tokens = async (target: Target) => {
      const send = (path: string, b: unknown) => target.send({ method: 'POST', path, token: target.rootToken, body: b });
      await send('auth/token/roles/conf-format', role);
      const service = (await send('auth/token/create', body)).body as { auth: { client_token: string; accessor: string } };
      const batch = (await send('auth/token/create/conf-format', {})).body as { auth: { client_token: string } };
      return { service: service.auth.client_token, accessor: service.auth.accessor, batch: batch.auth.client_token };
    };
    const [sim, real] = await Promise.all([tokens(simulator), tokens(openbao)]);
    expect(sim.service).toMatch(FORMATS.serviceToken);
    expect(sim.batch).toMatch(FORMATS.batchToken);
    expect(real.service).toMatch(/^s\.[A-Za-z0-9]{24}$/);
    expect(real.batch).toMatch(/^b\.AAAAAQ[A-Za-z0-9_-]{100,}$/);
    // Accessors are the same on both: 24 base62 characters.
    expect(sim.accessor).toMatch(FORMATS.accessor);
    expect(real.accessor).toMatch(FORMATS.accessor);
  });

  it('lists every divergence in the README, by id', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    expect(ALL_DIVERGENCE_IDS.filter((id) => !readme.includes(`\`${id}\``))).toEqual([]);
  });
});

describe("the OTP encoding of generated tokens, against OpenBao's generate-root", () => {
  it("decodes what a real server encodes, and the decoded token works there", async () => {
    const root = (method: string, path: string, body?: unknown): Promise<RawResponse> =>
      openbao.send({ method, path, token: openbao.rootToken, ...(body === undefined ? {} : { body }) });
    // OpenBao 2.5+ serves generate-root only authenticated, inside the envelope (sys/generate-root-token).
    const attempt = (await root('POST', 'sys/generate-root-token/attempt', {})).body as { data: { otp: string; nonce: string; otp_length: number } };
    const update = (await root('POST', 'sys/generate-root-token/update', { key: bao.unsealKey, nonce: attempt.data.nonce })).body as {
      data: { complete: boolean; encoded_token: string };
    };
    expect(update.data.complete).toBe(true);
    // Standard alphabet, no padding: the shape the simulator answers too.
    expect(update.data.encoded_token).toMatch(/^[A-Za-z0-9+/]+$/);
    expect(attempt.data.otp).toHaveLength(attempt.data.otp_length);
    const token = decodeToken(update.data.encoded_token, attempt.data.otp);
    expect(encodeToken(token, attempt.data.otp)).toBe(update.data.encoded_token);
    const lookup = await openbao.send({ method: 'GET', path: 'auth/token/lookup-self', token });
    expect(lookup.status).toBe(200);
    expect((lookup.body as { data: { policies: string[] } }).data.policies).toEqual(['root']);
  });
});

/** Writes `policies` on both servers under the same names and answers sys/capabilities for `paths` and a token holding them all (no default policy). */
async function capabilitiesOnBoth(policies: ReadonlyArray<readonly [name: string, text: string]>, paths: readonly string[]) {
  const ask = async (target: Target) => {
    const root = (method: string, path: string, body: unknown) => target.send({ method, path, token: target.rootToken, body });
    for (const [name, text] of policies) {
      const written = await root('PUT', `sys/policies/acl/${name}`, { policy: text });
      if (written.status !== 204) return { write: written };
    }
    const created = (await root('POST', 'auth/token/create', { policies: policies.map(([name]) => name), no_default_policy: true, ttl: '10m' })).body as {
      auth: { client_token: string };
    };
    const answer = await root('POST', 'sys/capabilities', { token: created.auth.client_token, paths });
    return { status: answer.status, data: (answer.body as { data?: unknown } | undefined)?.data };
  };
  const [sim, real] = await Promise.all([ask(simulator), ask(openbao)]);
  return { simulator: sim, openbao: real };
}

/** JSON with object keys sorted: Vault's maps have no order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );

describe("the policy engine against OpenBao's", () => {
  it('agrees on the policies this project writes (modules/dr-automation/private/vault-dr-access.ts)', async () => {
    const paths = [
      'sys/replication/dr/secondary/promote',
      'sys/replication/dr/secondary/update-primary',
      'sys/replication/dr/secondary/generate-operation-token/attempt',
      'sys/replication/dr/primary/demote',
      'sys/replication/dr/primary/secondary-token',
      'sys/replication/dr/status',
      'sys/replication/dr',
      'sys/replication/performance/primary/enable',
      'sys/replication/status',
      'sys/storage/raft/autopilot/state',
      'sys/storage/raft/autopilot/configuration',
      'auth/token/create/dr-batch-dev-test',
      'auth/token/create/dr-batch-dev-test-x',
      'auth/token/create/other',
      'auth/token/create',
      'sys/policies/acl/dr-operation-dev-test',
    ];
    const dr = await capabilitiesOnBoth([['dr-operation-dev-test', drOperationPolicyText()]], paths);
    const creator = await capabilitiesOnBoth([['dr-token-creator-dev-test', tokenCreatorPolicyText('dr-batch-dev-test')]], paths);
    expect(dr.simulator).toEqual(dr.openbao);
    expect(creator.simulator).toEqual(creator.openbao);
    // And what those answers say, written down independently of both engines.
    expect(dr.simulator.data).toMatchObject({
      'sys/replication/dr/secondary/promote': ['update'],
      'sys/replication/dr/primary/secondary-token': ['deny'],
      'sys/replication/dr': ['deny'],
      'sys/replication/performance/primary/enable': ['deny'],
      'sys/storage/raft/autopilot/state': ['deny'],
      'auth/token/create/dr-batch-dev-test': ['deny'],
    });
    expect(creator.simulator.data).toMatchObject({
      'auth/token/create/dr-batch-dev-test': ['update'],
      'auth/token/create/dr-batch-dev-test-x': ['deny'],
      'auth/token/create': ['deny'],
      'sys/replication/dr/secondary/promote': ['deny'],
    });
  });

  it('agrees on policies for the performance activation token, and the simulator\'s endpoint follows those answers', async () => {
    const activation = 'sys/replication/performance/primary/secondary-token';
    const paths = [activation, 'sys/replication/performance/primary/demote', 'sys/replication/performance/secondary/update-primary', 'sys/replication/dr/primary/secondary-token'];
    const policies = {
      'perf-activation': `path "${activation}" {\n  capabilities = ["update", "sudo"]\n}\n`,
      'perf-operator': 'path "sys/replication/performance/+/*" {\n  capabilities = ["update"]\n}\n',
    };
    const sudo = await capabilitiesOnBoth([['perf-activation', policies['perf-activation']]], paths);
    const plain = await capabilitiesOnBoth([['perf-operator', policies['perf-operator']]], paths);
    expect(sudo.simulator).toEqual(sudo.openbao);
    expect(plain.simulator).toEqual(plain.openbao);
    expect(sudo.simulator.data).toMatchObject({ [activation]: ['sudo', 'update'], 'sys/replication/dr/primary/secondary-token': ['deny'] });
    expect(plain.simulator.data).toMatchObject({ [activation]: ['update'], 'sys/replication/performance/secondary/update-primary': ['update'] });
    // The endpoint needs sudo beside update (the API page): only the first policy's token gets an activation token.
    const world = await startVaultPair({ nodes: 1, performanceSecondaries: ['south'] });
    try {
      const east = world.clusters[0];
      const send = (path: string, body: unknown, token = world.rootToken) => vaultRequest(east.address, world.caPem, { method: 'POST', path, token, body });
      const status: Record<string, number> = {};
      for (const [name, text] of Object.entries(policies)) {
        expect((await send(`sys/policies/acl/${name}`, { policy: text })).status).toBe(204);
        const token = ((await send('auth/token/create', { policies: [name], no_default_policy: true })).body as { auth: { client_token: string } }).auth.client_token;
        status[name] = (await send(activation, { id: `secondary-${name}` }, token)).status;
      }
      expect(status).toEqual({ 'perf-activation': 200, 'perf-operator': 403 });
    } finally {
      await world.stop();
    }
  });

  // A small alphabet so that patterns and paths collide often.
  const segment = fc.constantFrom('a', 'b', 'ab');
  const capabilitySet = fc.oneof(
    { weight: 5, arbitrary: fc.subarray(['create', 'read', 'update', 'delete', 'list', 'sudo', 'patch'], { minLength: 1 }) },
    { weight: 1, arbitrary: fc.constant(['deny']) },
  );
  const pattern = fc
    .record({
      segments: fc.array(fc.oneof({ weight: 3, arbitrary: segment }, { weight: 2, arbitrary: fc.constant('+') }), { minLength: 1, maxLength: 3 }),
      glob: fc.constantFrom('', '*', '/*'),
      leadingSlash: fc.boolean(),
    })
    .map(({ segments, glob, leadingSlash }) => `${leadingSlash ? '/' : ''}${segments.join('/')}${glob}`)
    .filter((p) => !p.includes('+*'));
  const policyText = fc
    .array(fc.tuple(pattern, capabilitySet), { minLength: 1, maxLength: 6 })
    .map((blocks) => blocks.map(([p, caps]) => `path "${p}" {\n  capabilities = [${caps.map((c) => `"${c}"`).join(', ')}]\n}\n`).join('\n'));
  // Paths without a trailing '/': there Vault's newest LIST resolution and OpenBao's differ (vault/acl.go resolveACLPermsForListOp).
  const queryPath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((segments) => segments.join('/'));

  it('agrees with sys/capabilities on generated policies and paths (property; failures print the seed)', async () => {
    const seed = process.env.CONFORMANCE_SEED === undefined ? undefined : Number(process.env.CONFORMANCE_SEED);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(policyText, { minLength: 1, maxLength: 3 }), fc.uniqueArray(queryPath, { minLength: 1, maxLength: 12 }), async (texts, paths) => {
        run += 1;
        const policies = texts.map((text, i) => [`prop-${run}-${i}`, text] as const);
        const both = await capabilitiesOnBoth(policies, paths);
        if (canonical(both.simulator) !== canonical(both.openbao)) {
          throw new Error(
            `sys/capabilities differ\npolicies:\n${policies.map(([n, t]) => `# ${n}\n${t}`).join('\n')}\npaths: ${JSON.stringify(paths)}\n` +
              `simulator: ${JSON.stringify(both.simulator)}\nopenbao:   ${JSON.stringify(both.openbao)}`,
          );
        }
      }),
      { numRuns: Number(process.env.CONFORMANCE_RUNS ?? 60), ...(seed === undefined ? {} : { seed }) },
    );
  });
});
