"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DR_OPERATIONS_VARIABLES = exports.DR_OPERATIONS_OWN_VARIABLES = exports.DR_OPERATIONS_LOCAL_BUDGET_MS = void 0;
exports.parseDrOperationsSettings = parseDrOperationsSettings;
exports.drOperationsEnvironment = drOperationsEnvironment;
const clusters_1 = require("../shared/settings/clusters");
const common_1 = require("../shared/settings/common");
const login_1 = require("../shared/settings/login");
const variables_1 = require("../shared/settings/variables");
/** Outside Lambda (no context), the time an invocation allows itself: the construct's timeout. */
exports.DR_OPERATIONS_LOCAL_BUDGET_MS = 120_000;
exports.DR_OPERATIONS_OWN_VARIABLES = {
    secretId: (0, variables_1.required)('DR_TOKEN_SECRET_ID', (0, variables_1.textRule)('a Secrets Manager secret name or ARN'), 'The secret dr-token-generator writes.'),
    minTokenRemainingSeconds: (0, variables_1.withDefault)('DR_TOKEN_MIN_REMAINING_SECONDS', (0, variables_1.integerRule)(0, 86_400, 's'), '600', 'Refuse when the DR token expires sooner, in seconds.'),
    promotionTimeoutMs: (0, variables_1.withDefault)('VAULT_PROMOTION_TIMEOUT_MS', (0, variables_1.integerRule)(100, 600_000, 'ms'), '20000', 'Longest wait for a cluster to reach its new role, in ms (also bounded by the deadline).'),
    pollMs: (0, variables_1.withDefault)('VAULT_POLL_MS', (0, variables_1.integerRule)(10, 10_000, 'ms'), '250', 'Poll interval while waiting, in ms.'),
    dnsSwitchFunctionName: (0, variables_1.optional)('DNS_SWITCH_FUNCTION_NAME', (0, variables_1.textRule)('a Lambda function name'), 'When set, failover and switchover move DNS by invoking dns-switch under their own lease.'),
    primaryDownProbes: (0, variables_1.withDefault)('PRIMARY_DOWN_PROBES', (0, variables_1.integerRule)(1, 10), '3', 'Probes of the primary, each on a new connection (the load balancer draws a node per connection), that must all fail before it is judged down.'),
    primaryDownWindowMs: (0, variables_1.withDefault)('PRIMARY_DOWN_WINDOW_MS', (0, variables_1.integerRule)(0, 60_000, 'ms'), '6000', 'Those probes are spread evenly over this window, in ms (first to last).'),
    primaryHeartbeatStaleMs: (0, variables_1.withDefault)('PRIMARY_HEARTBEAT_STALE_MS', (0, variables_1.integerRule)(0, 600_000, 'ms'), '5000', "Where the DR secondary answers, its replication status must show the primary disconnected with a last heartbeat older than this, in ms."),
    ...common_1.LEASE_VARIABLES,
};
exports.DR_OPERATIONS_VARIABLES = { ...common_1.COMMON_VARIABLES, ...login_1.LOGIN_VARIABLES, ...exports.DR_OPERATIONS_OWN_VARIABLES };
function parseDrOperationsSettings(env) {
    return (0, variables_1.parseVariables)(exports.DR_OPERATIONS_VARIABLES, env);
}
function drOperationsEnvironment(input) {
    return (0, variables_1.writeVariables)(exports.DR_OPERATIONS_VARIABLES, {
        clusters: (0, clusters_1.clustersValue)(input.clusters),
        caFile: input.caFile,
        logLevel: input.logLevel,
        awsAuthPath: input.awsAuthPath,
        awsAuthRole: input.awsAuthRole,
        iamServerId: input.iamServerId,
        stsUrl: input.stsUrl,
        stsRegion: input.stsRegion,
        secretId: input.secretId,
        minTokenRemainingSeconds: String(input.minTokenRemainingSeconds),
        dnsSwitchFunctionName: input.dnsSwitchFunctionName,
        leaseTableName: input.leaseTableName,
    });
}
