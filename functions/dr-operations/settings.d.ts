/**
 * dr-operations' configuration: every variable with its default and rule, parsed once by the
 * handler and written by the DR automation construct (modules/dr-automation). Dependency-light:
 * valibot only.
 */
import type { ClusterRef } from '../shared/settings/clusters';
import { type LogLevel } from '../shared/settings/common';
import { type Env, type Values } from '../shared/settings/variables';
/** Outside Lambda (no context), the time an invocation allows itself: the construct's timeout. */
export declare const DR_OPERATIONS_LOCAL_BUDGET_MS = 120000;
export declare const DR_OPERATIONS_OWN_VARIABLES: {
    readonly leaseTableName: import("../shared/settings/variables").Variable<string>;
    readonly secretId: import("../shared/settings/variables").Variable<string>;
    readonly minTokenRemainingSeconds: import("../shared/settings/variables").Variable<number>;
    readonly promotionTimeoutMs: import("../shared/settings/variables").Variable<number>;
    readonly pollMs: import("../shared/settings/variables").Variable<number>;
    readonly dnsSwitchFunctionName: import("../shared/settings/variables").Variable<string | undefined>;
    readonly primaryDownProbes: import("../shared/settings/variables").Variable<number>;
    readonly primaryDownWindowMs: import("../shared/settings/variables").Variable<number>;
    readonly primaryHeartbeatStaleMs: import("../shared/settings/variables").Variable<number>;
};
export declare const DR_OPERATIONS_VARIABLES: {
    readonly leaseTableName: import("../shared/settings/variables").Variable<string>;
    readonly secretId: import("../shared/settings/variables").Variable<string>;
    readonly minTokenRemainingSeconds: import("../shared/settings/variables").Variable<number>;
    readonly promotionTimeoutMs: import("../shared/settings/variables").Variable<number>;
    readonly pollMs: import("../shared/settings/variables").Variable<number>;
    readonly dnsSwitchFunctionName: import("../shared/settings/variables").Variable<string | undefined>;
    readonly primaryDownProbes: import("../shared/settings/variables").Variable<number>;
    readonly primaryDownWindowMs: import("../shared/settings/variables").Variable<number>;
    readonly primaryHeartbeatStaleMs: import("../shared/settings/variables").Variable<number>;
    readonly awsAuthPath: import("../shared/settings/variables").Variable<string>;
    readonly awsAuthRole: import("../shared/settings/variables").Variable<string>;
    readonly iamServerId: import("../shared/settings/variables").Variable<string | undefined>;
    readonly stsUrl: import("../shared/settings/variables").Variable<string>;
    readonly stsRegion: import("../shared/settings/variables").Variable<string>;
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
export type DrOperationsSettings = Values<typeof DR_OPERATIONS_VARIABLES>;
export declare function parseDrOperationsSettings(env: Env): DrOperationsSettings;
export interface DrOperationsEnvironmentInput {
    readonly clusters: readonly [ClusterRef, ClusterRef];
    readonly caFile: string;
    readonly logLevel?: LogLevel;
    readonly awsAuthPath?: string;
    readonly awsAuthRole: string;
    readonly iamServerId?: string;
    readonly stsUrl?: string;
    readonly stsRegion?: string;
    readonly secretId: string;
    readonly minTokenRemainingSeconds: number;
    /** Set when a successful promotion ends by moving DNS. */
    readonly dnsSwitchFunctionName?: string;
    readonly leaseTableName: string;
}
export declare function drOperationsEnvironment(input: DrOperationsEnvironmentInput): Record<string, string>;
