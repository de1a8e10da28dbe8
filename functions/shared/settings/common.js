"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LEASE_VARIABLES = exports.COMMON_VARIABLES = exports.RUNTIME_VARIABLES = exports.AWS_VARIABLES = exports.VAULT_VARIABLES = exports.LOG_LEVELS = void 0;
/**
 * Variables every function reads: the clusters, TLS, network bounds for Vault and AWS, the log
 * level and the deadline reserve.
 */
const clusters_1 = require("./clusters");
const variables_1 = require("./variables");
exports.LOG_LEVELS = ['debug', 'info', 'warn', 'error'];
exports.VAULT_VARIABLES = {
    clusters: (0, variables_1.required)('VAULT_CLUSTERS', clusters_1.clustersRule, 'JSON array of the two clusters: `[{"name":"use1","address":"https://vault-prod-use1.example.com:8200","clusterAddress":"https://vault-prod-use1.example.com:8201"}, {...}]`. `name` (letters, digits, `-`, `_`, starting with a letter or digit) is also the Route 53 set identifier of the cluster\'s weighted record; `clusterAddress` (optional) is sent as `primary_cluster_addr` when that cluster is promoted.'),
    caFile: (0, variables_1.optional)('VAULT_CA_FILE', (0, variables_1.textRule)('the path of a PEM bundle'), 'PEM bundle of the CA that signs the Vault listeners (the construct ships it as `/var/task/vault-ca.pem`).', "Node's trust store"),
    connectTimeoutMs: (0, variables_1.withDefault)('VAULT_CONNECT_TIMEOUT_MS', (0, variables_1.integerRule)(50, 60_000, 'ms'), '1000', 'TCP + TLS connect bound per attempt, in ms.'),
    requestTimeoutMs: (0, variables_1.withDefault)('VAULT_REQUEST_TIMEOUT_MS', (0, variables_1.integerRule)(50, 120_000, 'ms'), '2500', 'Total bound per attempt, in ms.'),
    maxAttempts: (0, variables_1.withDefault)('VAULT_MAX_ATTEMPTS', (0, variables_1.integerRule)(1, 5), '2', 'Attempts for reads, and for writes that never reached the server.'),
};
exports.AWS_VARIABLES = {
    awsConnectTimeoutMs: (0, variables_1.withDefault)('AWS_CONNECT_TIMEOUT_MS', (0, variables_1.integerRule)(50, 60_000, 'ms'), '1000', 'Connect bound per AWS API attempt, in ms.'),
    awsRequestTimeoutMs: (0, variables_1.withDefault)('AWS_REQUEST_TIMEOUT_MS', (0, variables_1.integerRule)(100, 900_000, 'ms'), '5000', 'Total bound per AWS API attempt, in ms.'),
    awsMaxAttempts: (0, variables_1.withDefault)('AWS_MAX_ATTEMPTS', (0, variables_1.integerRule)(1, 10), '3', 'Attempts per AWS API call (the SDK retries throttling).'),
};
exports.RUNTIME_VARIABLES = {
    logLevel: (0, variables_1.withDefault)('LOG_LEVEL', (0, variables_1.choiceRule)(exports.LOG_LEVELS), 'info', '`debug`, `info`, `warn` or `error`.'),
    deadlineReserveMs: (0, variables_1.withDefault)('DEADLINE_RESERVE_MS', (0, variables_1.integerRule)(100, 30_000, 'ms'), '2000', 'Time kept back from the Lambda deadline to release the lease and compose the answer, in ms.'),
};
exports.COMMON_VARIABLES = { ...exports.VAULT_VARIABLES, ...exports.AWS_VARIABLES, ...exports.RUNTIME_VARIABLES };
/** The lease table (DynamoDB), shared by dr-operations and dns-switch. */
exports.LEASE_VARIABLES = {
    leaseTableName: (0, variables_1.required)('LEASE_TABLE_NAME', (0, variables_1.textRule)('a DynamoDB table name'), 'DynamoDB table of the one-operation-at-a-time lease (partition key `lockId`).'),
};
