import { BASE_SCHEDULE, FAILOVER_AT_2S, type DrillScenario } from '../scenario';

/** west applies the promote and the answer never comes back. */
const scenario: DrillScenario = {
  name: 'lost-answer',
  summary: "the primary dies and the promote's answer is lost after west applied it; failover finds west promoting and carries on",
  story:
    'east goes down. failover promotes west; west applies the promote and the connection drops before the answer. The function ' +
    'never sends a promote twice: it probes west, finds it promoting (then primary), waits for it to be active and moves DNS, ' +
    "reporting that the promotion was found rather than confirmed.",
  schedule: {
    ...BASE_SCHEDULE,
    faults: [{ atMs: 0, forMs: null, fault: { kind: 'cluster', cluster: 'east', fault: 'down' } }],
    drops: [{ cluster: 'west', path: 'promote', times: 1 }],
    invocations: [FAILOVER_AT_2S],
  },
  expect: (report) => [
    ...(report.finalPrimary === 'west' ? [] : [`west should be the primary, found ${report.finalPrimary}`]),
    ...(report.invocations.some((l) => /was found promoted/.test(l)) ? [] : ['failover should report west as found promoted (its answer was lost)']),
  ],
};
export default scenario;
