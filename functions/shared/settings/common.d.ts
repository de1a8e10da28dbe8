export declare const LOG_LEVELS: readonly ["debug", "info", "warn", "error"];
export type LogLevel = (typeof LOG_LEVELS)[number];
export declare const VAULT_VARIABLES: {
    readonly clusters: import("./variables").Variable<readonly [import("./clusters").ClusterRef, import("./clusters").ClusterRef]>;
    readonly caFile: import("./variables").Variable<string | undefined>;
    readonly connectTimeoutMs: import("./variables").Variable<number>;
    readonly requestTimeoutMs: import("./variables").Variable<number>;
    readonly maxAttempts: import("./variables").Variable<number>;
};
export declare const AWS_VARIABLES: {
    readonly awsConnectTimeoutMs: import("./variables").Variable<number>;
    readonly awsRequestTimeoutMs: import("./variables").Variable<number>;
    readonly awsMaxAttempts: import("./variables").Variable<number>;
};
export declare const RUNTIME_VARIABLES: {
    readonly logLevel: import("./variables").Variable<"debug" | "info" | "warn" | "error">;
    readonly deadlineReserveMs: import("./variables").Variable<number>;
};
export declare const COMMON_VARIABLES: {
    readonly logLevel: import("./variables").Variable<"debug" | "info" | "warn" | "error">;
    readonly deadlineReserveMs: import("./variables").Variable<number>;
    readonly awsConnectTimeoutMs: import("./variables").Variable<number>;
    readonly awsRequestTimeoutMs: import("./variables").Variable<number>;
    readonly awsMaxAttempts: import("./variables").Variable<number>;
    readonly clusters: import("./variables").Variable<readonly [import("./clusters").ClusterRef, import("./clusters").ClusterRef]>;
    readonly caFile: import("./variables").Variable<string | undefined>;
    readonly connectTimeoutMs: import("./variables").Variable<number>;
    readonly requestTimeoutMs: import("./variables").Variable<number>;
    readonly maxAttempts: import("./variables").Variable<number>;
};
/** The lease table (DynamoDB), shared by dr-operations and dns-switch. */
export declare const LEASE_VARIABLES: {
    readonly leaseTableName: import("./variables").Variable<string>;
};
export interface HttpBounds {
    /** TCP + TLS connect timeout per attempt. */
    readonly connectTimeoutMs: number;
    /** Total time for one attempt: connect, headers and body. */
    readonly requestTimeoutMs: number;
    /** Attempts for calls that are safe to repeat. */
    readonly maxAttempts: number;
}
export interface AwsBounds {
    readonly connectTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly maxAttempts: number;
}
