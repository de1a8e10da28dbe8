import { BASE_SCHEDULE, FAILOVER_AT_2S, type DrillScenario } from '../scenario';

/** A promotion that takes 90 s: longer than the functions wait for it. */
const scenario: DrillScenario = {
  name: 'slow-promotion',
  summary: 'the primary dies and the promotion takes 90 s (simulated), past the 20 s wait; failover says so and its next command converges',
  story:
    "east goes down (connections refused). failover confirms it over the window and promotes west, whose promotion takes 90 s " +
    '(HashiCorp allows up to 120 s for a leader after a promote). The function waits VAULT_PROMOTION_TIMEOUT_MS (20 s), then stops ' +
    'with "accepted the promote but is not active yet", says east was not demoted, and names failover again. The operator runs it at ' +
    '+100 s, once the promotion is done: it finds west active and moves DNS to it.',
  schedule: {
    ...BASE_SCHEDULE,
    timings: { ...BASE_SCHEDULE.timings, promoteMs: 90_000 },
    faults: [{ atMs: 0, forMs: null, fault: { kind: 'cluster', cluster: 'east', fault: 'down' } }],
    invocations: [FAILOVER_AT_2S, { atMs: 100_000, operation: 'failover', force: false, onFailure: 'stop', twin: null }],
  },
  expect: (report) => [
    ...(report.finalPrimary === 'west' ? [] : [`west should be the primary in the end, found ${report.finalPrimary}`]),
    ...(report.invocations.some((l) => /accepted the promote but is not active yet/.test(l)) ? [] : ['failover should have said the promote was accepted but not active yet']),
  ],
};
export default scenario;
