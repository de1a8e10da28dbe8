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
exports.clustersRule = exports.CLUSTER_NAME_RULE_TEXT = exports.CLUSTER_NAME_PATTERN = void 0;
exports.clusterNameProblem = clusterNameProblem;
exports.clustersValue = clustersValue;
/**
 * The two clusters (`VAULT_CLUSTERS`) and the one rule for a cluster name, used by the construct at
 * synth and by every function at run time.
 */
const v = __importStar(require("valibot"));
const variables_1 = require("./variables");
/**
 * A cluster name is the Route 53 set identifier of its weighted record (1 to 128 characters) and
 * appears in answers, logs and Vault secondary ids: letters, digits, "-" and "_", starting with a
 * letter or digit.
 */
exports.CLUSTER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
exports.CLUSTER_NAME_RULE_TEXT = '1 to 128 letters, digits, "-" or "_", starting with a letter or digit (it is the Route 53 set identifier)';
/** Why `name` is not a valid cluster name, or undefined when it is. */
function clusterNameProblem(name) {
    return typeof name === 'string' && exports.CLUSTER_NAME_PATTERN.test(name) ? undefined : `must be ${exports.CLUSTER_NAME_RULE_TEXT}, got ${JSON.stringify(name)}`;
}
const httpsOrigin = (what) => v.pipe(v.string(`must be an https:// URL string (${what})`), v.check((raw) => URL.canParse(raw) && new URL(raw).protocol === 'https:', (issue) => `must be an https:// URL (${what}; TLS is always on), got ${JSON.stringify(issue.input)}`), v.transform((raw) => new URL(raw).origin));
const clusterSchema = v.strictObject({
    name: v.pipe(v.unknown(), v.check((n) => clusterNameProblem(n) === undefined, (issue) => clusterNameProblem(issue.input)), v.transform((n) => n)),
    address: httpsOrigin('the cluster\'s own API address, e.g. https://vault-use1.example.com:8200'),
    clusterAddress: v.optional(httpsOrigin('the cluster port through its load balancer, e.g. https://vault-use1.example.com:8201')),
}, (issue) => issue.expected === 'never'
    ? `is not a known field of a cluster; the fields are name, address, clusterAddress`
    : issue.expected?.startsWith('"')
        ? 'is required'
        : 'must be an object {"name": ..., "address": "https://...", "clusterAddress"?: "https://...:8201"}');
const EXAMPLE = '[{"name":"east","address":"https://..."},{"name":"west","address":"https://..."}]';
const TWO = `must be a JSON array of exactly two clusters (the primary and the DR secondary, in any order): ${EXAMPLE}`;
const pairSchema = v.pipe(v.array(v.unknown(), TWO), v.length(2, TWO), v.strictTuple([clusterSchema, clusterSchema], TWO), v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed)
        return;
    const [a, b] = dataset.value;
    if (a.name === b.name) {
        addIssue({ message: `must differ from the first cluster's name (both are ${JSON.stringify(a.name)})`, path: [{ type: 'array', origin: 'value', input: dataset.value, key: 1, value: b }, { type: 'object', origin: 'value', input: b, key: 'name', value: b.name }] });
    }
    if (a.address === b.address) {
        addIssue({ message: 'must differ from the first cluster\'s address', path: [{ type: 'array', origin: 'value', input: dataset.value, key: 1, value: b }, { type: 'object', origin: 'value', input: b, key: 'address', value: b.address }] });
    }
}), v.transform((pair) => pair.map((c) => ({ name: c.name, address: c.address, ...(c.clusterAddress === undefined ? {} : { clusterAddress: c.clusterAddress }) }))));
exports.clustersRule = (0, variables_1.jsonRule)(pairSchema, EXAMPLE);
/** The `VAULT_CLUSTERS` value for two clusters (what the construct writes). */
function clustersValue(clusters) {
    return JSON.stringify(clusters.map((c) => ({ name: c.name, address: c.address, ...(c.clusterAddress === undefined ? {} : { clusterAddress: c.clusterAddress }) })));
}
