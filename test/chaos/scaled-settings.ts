/**
 * The functions' time settings on the simulator's scaled clock. The simulator runs `timeScale`
 * times faster than real time; the functions run in real time. So every setting of theirs that
 * measures the Vault world's time (timeouts, the confirmation window, polls, the promotion wait,
 * the DNS sync wait, the deadline reserve) and the Lambda timeouts are divided by the same factor:
 * a 120 s Lambda timeout at timeScale 40 is 3 real seconds, and so is a 120 s promotion.
 *
 * Three kinds of setting are not divided, each for its reason:
 * - PRIMARY_HEARTBEAT_STALE_MS is compared with an age the simulator reports on its own clock
 *   (the secondary's last_heartbeat against its server_time_utc), so it is simulated time already.
 * - The AWS bounds (AWS_CONNECT_TIMEOUT_MS, AWS_REQUEST_TIMEOUT_MS): moto answers in real time.
 * - The watchdog's window, round gap and heartbeat bound (WATCHDOG_WINDOW_MS, ...): its runs are
 *   given the simulated clock (its `now`), so they are simulated time already.
 * A divided value below the setting's own minimum is raised to that minimum (more generous than
 * the scale asks for, never less).
 */
import { DR_OPERATIONS_VARIABLES } from '../../functions/dr-operations/settings';
import { DNS_SWITCH_VARIABLES } from '../../functions/dns-switch/settings';
import { WATCHDOG_VARIABLES } from '../../functions/dr-watchdog/settings';
import type { Env } from '../../functions/shared/settings/variables';

/** The construct's Lambda timeouts (modules/dr-automation/defaults.ts), in ms. */
export const LAMBDA_TIMEOUT_MS = { operations: 120_000, dnsSwitch: 60_000, watchdog: 180_000 } as const;

/** The settings divided by the time scale, with each one's minimum (its settings rule). */
const SCALED_MINIMUM_MS: Record<string, number> = {
  VAULT_CONNECT_TIMEOUT_MS: 50,
  VAULT_REQUEST_TIMEOUT_MS: 50,
  // The reserve is spent on real work (a DynamoDB call to moto, composing the answer) that the
  // time scale does not speed up: below 250 ms a busy 2-core machine overran it (seed 671147363).
  DEADLINE_RESERVE_MS: 250,
  VAULT_PROMOTION_TIMEOUT_MS: 100,
  VAULT_POLL_MS: 10,
  PRIMARY_DOWN_WINDOW_MS: 0,
  DNS_SYNC_TIMEOUT_MS: 0,
  DNS_SYNC_POLL_MS: 10,
};

/** Each scaled setting's production default, read from the settings modules. */
const SCALED: Record<string, { readonly defaultMs: number; readonly minMs: number }> = Object.fromEntries(
  Object.entries(SCALED_MINIMUM_MS).map(([name, minMs]) => {
    const variable = [...Object.values(DR_OPERATIONS_VARIABLES), ...Object.values(DNS_SWITCH_VARIABLES)].find((v) => v.name === name);
    if (variable?.defaultRaw === undefined) throw new Error(`scaled-settings: ${name} is no longer a setting with a default of dr-operations or dns-switch`);
    return [name, { defaultMs: Number(variable.defaultRaw), minMs }];
  }),
);

/** One scaled setting: its default divided by `timeScale`, at least its minimum. */
export function scaledMs(name: string, timeScale: number): number {
  const setting = SCALED[name];
  if (setting === undefined) throw new Error(`scaled-settings: ${name} is not a scaled setting`);
  return Math.max(setting.minMs, Math.round(setting.defaultMs / timeScale));
}

const VARIABLES_OF = { operations: DR_OPERATIONS_VARIABLES, dnsSwitch: DNS_SWITCH_VARIABLES, watchdog: WATCHDOG_VARIABLES } as const;

/**
 * The functions' production defaults on a clock `timeScale` times faster, for the variables of
 * `env` (dr-operations', dns-switch's or dr-watchdog's): each scaled variable the function reads is
 * set; the heartbeat bound is the default, in simulated ms.
 */
export function scaledEnv(env: Env, timeScale: number, kind: keyof typeof VARIABLES_OF): Env {
  const names = new Set(Object.values(VARIABLES_OF[kind]).map((v) => v.name));
  const out: Record<string, string | undefined> = { ...env, VAULT_MAX_ATTEMPTS: '2', AWS_MAX_ATTEMPTS: '3', LOG_LEVEL: 'debug' };
  for (const name of Object.keys(SCALED)) if (names.has(name)) out[name] = String(scaledMs(name, timeScale));
  if (kind === 'operations') {
    out.PRIMARY_DOWN_PROBES = '3';
    out.PRIMARY_HEARTBEAT_STALE_MS = '5000';
  }
  if (kind === 'watchdog') {
    // Its rule's times are on the clock it is given (simulated): its production defaults, as deployed.
    for (const v of Object.values(WATCHDOG_VARIABLES)) if (v.name.startsWith('WATCHDOG_') && v.name !== 'WATCHDOG_MODE' && v.defaultRaw !== undefined) out[v.name] = v.defaultRaw;
  }
  return out;
}

/** A Lambda timeout on the scaled clock, in real ms. */
export const scaledLambdaTimeoutMs = (kind: keyof typeof LAMBDA_TIMEOUT_MS, timeScale: number): number => Math.round(LAMBDA_TIMEOUT_MS[kind] / timeScale);
