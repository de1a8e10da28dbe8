/**
 * dr-token-generator's configuration: every variable with its default and rule, parsed once by the
 * handler and written by the DR automation construct (modules/dr-automation). Dependency-light:
 * valibot only.
 */
import type { ClusterRef } from '../shared/settings/clusters';
import { type LogLevel } from '../shared/settings/common';
import { type Env, type Values } from '../shared/settings/variables';
/** Outside Lambda (no context), the time an invocation allows itself: the construct's timeout. */
export declare const GENERATOR_LOCAL_BUDGET_MS = 60000;
/** The CloudWatch Embedded Metric each successful refresh prints; the construct's alarm watches it. */
export declare const DR_TOKEN_METRIC: {
    readonly namespace: "VaultDR";
    readonly metricName: "DrTokenRefreshSucceeded";
    readonly secondsToExpiryMetricName: "DrTokenSecondsToExpiry";
    readonly dimension: "Environment";
};
export declare const GENERATOR_OWN_VARIABLES: {
    readonly tokenRole: import("../shared/settings/variables").Variable<string>;
    readonly ttl: import("../shared/settings/variables").Variable<string>;
    readonly secretId: import("../shared/settings/variables").Variable<string>;
    readonly metricEnvironment: import("../shared/settings/variables").Variable<string>;
};
export declare const GENERATOR_VARIABLES: {
    readonly tokenRole: import("../shared/settings/variables").Variable<string>;
    readonly ttl: import("../shared/settings/variables").Variable<string>;
    readonly secretId: import("../shared/settings/variables").Variable<string>;
    readonly metricEnvironment: import("../shared/settings/variables").Variable<string>;
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
export type GeneratorSettings = Values<typeof GENERATOR_VARIABLES>;
export declare function parseGeneratorSettings(env: Env): GeneratorSettings;
/** What the construct knows; undefined optional values leave the function's default. */
export interface GeneratorEnvironmentInput {
    readonly clusters: readonly [ClusterRef, ClusterRef];
    readonly caFile: string;
    readonly logLevel?: LogLevel;
    readonly awsAuthPath?: string;
    readonly awsAuthRole: string;
    readonly iamServerId?: string;
    readonly stsUrl?: string;
    readonly stsRegion?: string;
    readonly tokenRole: string;
    readonly ttlSeconds: number;
    readonly secretId: string;
    readonly metricEnvironment: string;
}
export declare function generatorEnvironment(input: GeneratorEnvironmentInput): Record<string, string>;
