import { BASE_SCHEDULE, type DrillScenario } from '../scenario';

/** A planned switchover whose last step, re-attaching the old primary, fails. */
const scenario: DrillScenario = {
  name: 'relink-fails',
  summary: 'a switchover whose re-link of the old primary fails: DNS moves first, the failure names link, which finishes it',
  story:
    "switchover demotes east, promotes west and moves DNS to west (clients first). Re-linking east as west's DR secondary then fails: " +
    'east applies update-primary but the answer is lost. The switchover reports west as the primary with DNS on it and names link; ' +
    'link finds east streaming from west (or re-attaches it) and makes sure DNS follows west.',
  schedule: {
    ...BASE_SCHEDULE,
    drops: [{ cluster: 'east', path: 'update-primary', times: 1 }],
    invocations: [{ atMs: 2000, operation: 'switchover', force: false, onFailure: 'stop', twin: null }],
  },
  expect: (report) => [
    ...(report.finalPrimary === 'west' ? [] : [`west should be the primary, found ${report.finalPrimary}`]),
    ...(report.invocations.some((l) => /DNS follows it, but re-linking east failed/.test(l)) ? [] : ['switchover should report the failed re-link after DNS moved']),
  ],
};
export default scenario;
