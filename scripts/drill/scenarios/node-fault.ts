import { BASE_SCHEDULE, FAILOVER_AT_2S, type DrillScenario } from '../scenario';

/** The active node of the primary stops answering; the load balancer and Raft route around it. */
const scenario: DrillScenario = {
  name: 'node-fault',
  summary: "one node of the primary (its active node) blackholed behind the load balancer; failover refuses, the primary stays",
  story:
    "east's active node stops answering (TCP accepted, nothing else). Raft elects another node within the election time and the load " +
    'balancer takes the dead node out of rotation after two failed health checks. An operator runs failover: the probes over the ' +
    "confirmation window reach other nodes, which answer as the active primary, so failover refuses (the primary is alive) and changes nothing.",
  schedule: {
    ...BASE_SCHEDULE,
    faults: [{ atMs: 0, forMs: null, fault: { kind: 'node', cluster: 'east', node: 'active', fault: 'blackhole' } }],
    invocations: [FAILOVER_AT_2S],
  },
  expect: (report) => [
    ...(report.finalPrimary === 'east' ? [] : [`east should still be the primary, found ${report.finalPrimary}`]),
    ...(report.verdict.rpo.length === 0 ? [] : ['nothing should have been promoted']),
  ],
};
export default scenario;
