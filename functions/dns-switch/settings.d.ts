import type { ClusterRef } from '../shared/settings/clusters';
import { type LogLevel } from '../shared/settings/common';
import { type Env, type Values } from '../shared/settings/variables';
/** Outside Lambda (no context), the time an invocation allows itself: the construct's timeout. */
export declare const DNS_SWITCH_LOCAL_BUDGET_MS = 60000;
export declare const DNS_SWITCH_OWN_VARIABLES: {
    readonly leaseTableName: import("../shared/settings/variables").Variable<string>;
    readonly hostedZoneId: import("../shared/settings/variables").Variable<string>;
    readonly recordName: import("../shared/settings/variables").Variable<string>;
    readonly recordType: import("../shared/settings/variables").Variable<string>;
    readonly syncTimeoutMs: import("../shared/settings/variables").Variable<number>;
    readonly syncPollMs: import("../shared/settings/variables").Variable<number>;
};
export declare const DNS_SWITCH_VARIABLES: {
    readonly leaseTableName: import("../shared/settings/variables").Variable<string>;
    readonly hostedZoneId: import("../shared/settings/variables").Variable<string>;
    readonly recordName: import("../shared/settings/variables").Variable<string>;
    readonly recordType: import("../shared/settings/variables").Variable<string>;
    readonly syncTimeoutMs: import("../shared/settings/variables").Variable<number>;
    readonly syncPollMs: import("../shared/settings/variables").Variable<number>;
    readonly logLevel: import("../shared/settings/variables").Variable<"debug" | "info" | "warn" | "error">;
    readonly deadlineReserveMs: import("../shared/settings/variables").Variable<number>;
    readonly awsConnectTimeoutMs: import("../shared/settings/variables").Variable<number>;
    readonly awsRequestTimeoutMs: import("../shared/settings/variables").Variable<number>;
    readonly awsMaxAttempts: import("../shared/settings/variables").Variable<number>;
    readonly clusters: import("../shared/settings/variables").Variable<readonly [ClusterRef, ClusterRef]>;
    readonly caFile: import("../shared/settings/variables").Variable<string | undefined>;
    readonly connectTimeoutMs: import("../shared/settings/variables").Variable<number>;
    readonly requestTimeoutMs: import("../shared/settings/variables").Variable<number>;
    readonly maxAttempts: import("../shared/settings/variables").Variable<number>;
};
export type DnsSwitchSettings = Values<typeof DNS_SWITCH_VARIABLES>;
export declare function parseDnsSwitchSettings(env: Env): DnsSwitchSettings;
export interface DnsSwitchEnvironmentInput {
    readonly clusters: readonly [ClusterRef, ClusterRef];
    readonly caFile: string;
    readonly logLevel?: LogLevel;
    readonly hostedZoneId: string;
    readonly recordName: string;
    readonly recordType: string;
    readonly leaseTableName: string;
}
export declare function dnsSwitchEnvironment(input: DnsSwitchEnvironmentInput): Record<string, string>;
