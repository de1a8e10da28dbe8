"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.GENERATOR_VARIABLES = exports.GENERATOR_OWN_VARIABLES = exports.DR_TOKEN_METRIC = exports.GENERATOR_LOCAL_BUDGET_MS = void 0;
exports.parseGeneratorSettings = parseGeneratorSettings;
exports.generatorEnvironment = generatorEnvironment;
const clusters_1 = require("../shared/settings/clusters");
const common_1 = require("../shared/settings/common");
const login_1 = require("../shared/settings/login");
const variables_1 = require("../shared/settings/variables");
/** Outside Lambda (no context), the time an invocation allows itself: the construct's timeout. */
exports.GENERATOR_LOCAL_BUDGET_MS = 60_000;
/** The CloudWatch Embedded Metric each successful refresh prints; the construct's alarm watches it. */
exports.DR_TOKEN_METRIC = {
    namespace: 'VaultDR',
    metricName: 'DrTokenRefreshSucceeded',
    secondsToExpiryMetricName: 'DrTokenSecondsToExpiry',
    dimension: 'Environment',
};
exports.GENERATOR_OWN_VARIABLES = {
    tokenRole: (0, variables_1.required)('DR_TOKEN_ROLE', (0, variables_1.textRule)('a Vault token role name'), 'Token role of `auth/token/create/<role>` (batch, orphan, not renewable).'),
    ttl: (0, variables_1.withDefault)('DR_TOKEN_TTL', (0, variables_1.durationRule)(), '8h', 'TTL asked for (`8h`, `30m`, `3600s`).'),
    secretId: (0, variables_1.required)('DR_TOKEN_SECRET_ID', (0, variables_1.textRule)('a Secrets Manager secret name or ARN'), 'The Secrets Manager secret the token is stored in.'),
    metricEnvironment: (0, variables_1.withDefault)('DR_ENVIRONMENT', (0, variables_1.textRule)('a name'), 'unknown', 'The `Environment` dimension of its metric.'),
};
exports.GENERATOR_VARIABLES = { ...common_1.COMMON_VARIABLES, ...login_1.LOGIN_VARIABLES, ...exports.GENERATOR_OWN_VARIABLES };
function parseGeneratorSettings(env) {
    return (0, variables_1.parseVariables)(exports.GENERATOR_VARIABLES, env);
}
function generatorEnvironment(input) {
    return (0, variables_1.writeVariables)(exports.GENERATOR_VARIABLES, {
        clusters: (0, clusters_1.clustersValue)(input.clusters),
        caFile: input.caFile,
        logLevel: input.logLevel,
        awsAuthPath: input.awsAuthPath,
        awsAuthRole: input.awsAuthRole,
        iamServerId: input.iamServerId,
        stsUrl: input.stsUrl,
        stsRegion: input.stsRegion,
        tokenRole: input.tokenRole,
        ttl: `${input.ttlSeconds}s`,
        secretId: input.secretId,
        metricEnvironment: input.metricEnvironment,
    });
}
