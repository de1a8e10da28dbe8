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
exports.LOGIN_VARIABLES = void 0;
/**
 * How a function logs in to Vault with its own execution role (AWS IAM auth). dr-token-generator
 * and dr-operations each log in with their own Vault role; no other principal can use it.
 */
const v = __importStar(require("valibot"));
const variables_1 = require("./variables");
const MOUNT_PATH = v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9_/-]*[A-Za-z0-9_-]$|^[A-Za-z0-9]$/, (issue) => `must be a mount path like "aws" (no leading or trailing "/"), got ${JSON.stringify(issue.input)}`));
exports.LOGIN_VARIABLES = {
    awsAuthPath: (0, variables_1.withDefault)('VAULT_AWS_AUTH_PATH', MOUNT_PATH, 'aws', 'Mount path of the AWS auth method.'),
    awsAuthRole: (0, variables_1.required)('VAULT_AWS_AUTH_ROLE', (0, variables_1.textRule)('the name of a Vault AWS auth role'), "This function's own Vault AWS auth role (bound to its execution role)."),
    iamServerId: (0, variables_1.optional)('VAULT_IAM_SERVER_ID', (0, variables_1.textRule)('the X-Vault-AWS-IAM-Server-ID value'), 'Value of `X-Vault-AWS-IAM-Server-ID`, signed into the login request.'),
    stsUrl: (0, variables_1.withDefault)('VAULT_STS_URL', (0, variables_1.urlRule)('https://sts.us-east-1.amazonaws.com/'), 'https://sts.amazonaws.com/', "URL the login request is signed for (Vault's `sts_endpoint`)."),
    stsRegion: (0, variables_1.withDefault)('VAULT_STS_REGION', (0, variables_1.textRule)('an AWS region such as us-east-1'), 'us-east-1', "Region the login request is signed for (Vault's `sts_region`)."),
};
