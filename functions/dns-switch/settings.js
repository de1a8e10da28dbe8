"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.DNS_SWITCH_VARIABLES = exports.DNS_SWITCH_OWN_VARIABLES = exports.DNS_SWITCH_LOCAL_BUDGET_MS = void 0;
exports.parseDnsSwitchSettings = parseDnsSwitchSettings;
exports.dnsSwitchEnvironment = dnsSwitchEnvironment;
/**
 * dns-switch's configuration: every variable with its default and rule, parsed once by the
 * handler and written by the DR automation construct (modules/dr-automation). Dependency-light:
 * valibot only.
 */
const v = __importStar(require("valibot"));
const clusters_1 = require("../shared/settings/clusters");
const common_1 = require("../shared/settings/common");
const variables_1 = require("../shared/settings/variables");
/** Outside Lambda (no context), the time an invocation allows itself: the construct's timeout. */
exports.DNS_SWITCH_LOCAL_BUDGET_MS = 60_000;
const HOSTED_ZONE_ID = v.pipe(v.string(), v.transform((raw) => raw.replace(/^\/hostedzone\//, '')), v.regex(/^[A-Z0-9]{1,32}$/, (issue) => `must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ, got ${JSON.stringify(issue.input)}`));
exports.DNS_SWITCH_OWN_VARIABLES = {
    hostedZoneId: (0, variables_1.required)('HOSTED_ZONE_ID', HOSTED_ZONE_ID, 'The hosted zone, by id (never found by name).'),
    recordName: (0, variables_1.required)('DNS_RECORD_NAME', (0, variables_1.textRule)('a DNS name'), 'The high-level name whose two weighted records are switched (set identifiers = cluster names).'),
    recordType: (0, variables_1.withDefault)('DNS_RECORD_TYPE', (0, variables_1.textRule)('a record type such as CNAME'), 'CNAME', 'Type of the weighted records.'),
    syncTimeoutMs: (0, variables_1.withDefault)('DNS_SYNC_TIMEOUT_MS', (0, variables_1.integerRule)(0, 600_000, 'ms'), '30000', 'Longest wait for Route 53 to report the change INSYNC, in ms (also bounded by the deadline).'),
    syncPollMs: (0, variables_1.withDefault)('DNS_SYNC_POLL_MS', (0, variables_1.integerRule)(10, 60_000, 'ms'), '1000', 'Interval between GetChange calls, in ms.'),
    ...common_1.LEASE_VARIABLES,
};
exports.DNS_SWITCH_VARIABLES = { ...common_1.COMMON_VARIABLES, ...exports.DNS_SWITCH_OWN_VARIABLES };
function parseDnsSwitchSettings(env) {
    return (0, variables_1.parseVariables)(exports.DNS_SWITCH_VARIABLES, env);
}
function dnsSwitchEnvironment(input) {
    return (0, variables_1.writeVariables)(exports.DNS_SWITCH_VARIABLES, {
        clusters: (0, clusters_1.clustersValue)(input.clusters),
        caFile: input.caFile,
        logLevel: input.logLevel,
        hostedZoneId: input.hostedZoneId,
        recordName: input.recordName,
        recordType: input.recordType,
        leaseTableName: input.leaseTableName,
    });
}
