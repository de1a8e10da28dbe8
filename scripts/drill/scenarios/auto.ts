import { BASE_SCHEDULE, type DrillScenario } from '../scenario';
import { failoverRuns, firstRunRuleMet, WATCHDOG_DEFAULTS, watchdogOnSchedule, watchdogTiming } from '../watchdog';

/**
 * When east's region goes dark (simulated ms): between two scheduled runs, after two that saw both
 * clusters (a failover needs the lag read while both answered; in production it has run for days).
 */
const FAULT_AT_MS = 90_000;

/** The primary's region is lost; nobody invokes anything: the watchdog in `auto` does it all. */
const scenario: DrillScenario = {
  name: 'auto',
  summary: 'the primary region goes dark; dr-watchdog in auto, on its one-minute schedule, detects, decides, fails over and DNS follows',
  story:
    `At +${FAULT_AT_MS / 1000} s every node of east stops answering anyone (blackholed: the functions, clients and the replication ` +
    'link). No operator acts. dr-watchdog runs every minute (its EventBridge schedule, simulated on the scaled clock) with its ' +
    'production settings in auto: its own probes of east find it down, and west reports its primary disconnected with a stale ' +
    `heartbeat. At the first run at which both vantage points have agreed in every run for the ${WATCHDOG_DEFAULTS.windowMs / 1000} s window ` +
    '(three runs, or four when the third observed a little earlier in its minute than the first), ' +
    'it disarms itself, pages "starting", invokes dr-operations failover with its evidence as the reason (which confirms once more, ' +
    'promotes west and moves DNS through the chained dns-switch), and pages the outcome. The runs after it find west the primary and ' +
    'stay disarmed. The drill prints when each step happened, the time to detect and the time to recover.',
  schedule: {
    ...BASE_SCHEDULE,
    faults: [{ atMs: FAULT_AT_MS, forMs: null, fault: { kind: 'cluster', cluster: 'east', fault: 'blackhole' } }],
    invocations: [],
    watchdog: watchdogOnSchedule('auto', 8),
  },
  expect: (report) => {
    const runs = report.watchdog?.runs ?? [];
    const failovers = failoverRuns(report);
    const t = watchdogTiming(report);
    const subjects = (report.watchdog?.pages ?? []).map((p) => p.subject);
    const ruleMetAt = firstRunRuleMet(report);
    return [
      ...(runs.length === report.watchdog?.spec.runs ? [] : [`the watchdog should have run ${report.watchdog?.spec.runs} times, ran ${runs.length}`]),
      ...runs.filter((r) => r.error !== undefined || r.tookRealMs > r.timeoutMs).map((r) => `the run at +${r.scheduledAtMs} ms ${r.error ? `failed: ${r.error.message}` : `took ${r.tookRealMs} ms, past its ${r.timeoutMs} ms`}`),
      ...(failovers.length === 1 ? [] : [`the watchdog should have decided one failover, decided ${failovers.length}`]),
      ...(failovers.every((r) => r.answer?.failover?.outcome === 'succeeded') ? [] : [`its failover should have succeeded: ${failovers.map((r) => r.answer?.failover?.summary).join('; ')}`]),
      ...(t.from === 'east' && t.to === 'west' ? [] : [`it should have failed over from east to west, not ${t.from} -> ${t.to}`]),
      ...(t.timeToDetectMs === undefined ? ['no time to detect: no failover decision after the fault'] : []),
      ...(t.timeToDetectMs !== undefined && t.timeToDetectMs < WATCHDOG_DEFAULTS.windowMs ? [`it decided ${t.timeToDetectMs} ms after the fault, inside the ${WATCHDOG_DEFAULTS.windowMs} ms window`] : []),
      ...(ruleMetAt === undefined || ruleMetAt !== failovers[0]
        ? [`it should have failed over at the first run where every vantage point had agreed for the window (${ruleMetAt ? `the run at +${ruleMetAt.scheduledAtMs} ms` : 'none'}), did at ${failovers[0] ? `the run at +${failovers[0].scheduledAtMs} ms` : 'none'}`]
        : []),
      ...(t.timeToRecoverMs === undefined ? ['DNS never pointed at west alone while the watchdog ran'] : []),
      ...(runs.filter((r) => (r.observedAtMs ?? 0) > (t.decidedAtMs ?? Infinity)).every((r) => r.answer?.armed === false && r.answer.action?.kind === 'none')
        ? []
        : ['after its failover the watchdog should stay disarmed and find nothing to do (west is the primary)']),
      ...(subjects.join('\n') === ['Vault DR dev: automatic failover from east to west starting', 'Vault DR dev: automatic failover succeeded (east -> west)'].join('\n')
        ? []
        : [`the pages should be "starting" then "succeeded", got ${JSON.stringify(subjects)}`]),
      ...(report.finalPrimary === 'west' ? [] : [`west should be the primary in the end, found ${report.finalPrimary}`]),
    ];
  },
};
export default scenario;
