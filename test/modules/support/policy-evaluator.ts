/**
 * A small evaluator of IAM-style policy documents (key policies, bucket and secret resource
 * policies), written from AWS's policy evaluation rules, so tests can state who may do what and
 * check it on the synthesized JSON rather than compare statement text only.
 *
 * It knows what these policies use: Principal ("*", AWS, Service), Action and Resource with "*"
 * and "?" wildcards, and the condition operators StringEquals, StringNotEquals, StringLike,
 * ArnEquals, ArnNotEquals, ArnLike, Bool, NumericLessThan, NumericGreaterThan and their IfExists
 * forms (values are compared as strings, so Terraform references compare as written). An explicit Deny wins; otherwise an Allow is needed.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 *
 * In a key policy a statement whose principal is the account root delegates to IAM: any principal
 * of the account passes it if its own IAM policy allows (`accountRoot` tells the evaluator which
 * ARN that is). The evaluator then answers "could IAM grant this?", which is what "a key
 * administration statement cannot grant decrypt" means.
 */
export interface PolicyRequest {
  /** ARN of the calling principal (a role ARN, or a Terraform reference to one). */
  readonly principalArn?: string;
  /** An AWS service principal (`logs.us-west-2.amazonaws.com`) instead of an IAM principal. */
  readonly service?: string;
  readonly action: string;
  /** The resource, for resource policies that name it; key policies use "*". */
  readonly resource?: string;
  /** Request context: condition keys and their values (`kms:ViaService`, `kms:EncryptionContext:SecretARN`, ...). */
  readonly context?: Readonly<Record<string, string | boolean>>;
}

export type Decision = 'allow' | 'deny' | 'implicit-deny';

type Statement = {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
};

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** AWS wildcard match: "*" any run of characters, "?" one character; case-sensitive unless told. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'is' : 's').test(value);
}

function principalMatches(statement: Statement, request: PolicyRequest, accountRoot: string | undefined): boolean {
  if (statement.Principal === undefined) return true; // identity policy
  if (statement.Principal === '*') return true;
  if (request.service !== undefined) return list(statement.Principal.Service).includes(request.service);
  const arns = list(statement.Principal.AWS);
  if (request.principalArn === undefined) return false;
  return arns.some((arn) => arn === '*' || arn === request.principalArn || (accountRoot !== undefined && arn === accountRoot));
}

function conditionHolds(operator: string, key: string, expected: string[], context: Readonly<Record<string, string | boolean>>): boolean {
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  const [qualifier, op] = base.includes(':') ? (base.split(':') as [string, string]) : [undefined, base];
  const present = Object.prototype.hasOwnProperty.call(context, key);
  if (!present) return ifExists || op.startsWith('StringNot') || op.startsWith('ArnNot');
  const actual = String(context[key]);
  if (qualifier !== undefined) throw new Error(`policy evaluator: set operator ${base} is not supported`);
  switch (op) {
    case 'StringEquals':
    case 'ArnEquals':
      return expected.includes(actual);
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return !expected.includes(actual);
    case 'StringLike':
    case 'ArnLike':
      return expected.some((pattern) => wildcardMatch(pattern, actual));
    case 'Bool':
      return expected.includes(actual);
    case 'NumericLessThan':
      return expected.some((limit) => Number(actual) < Number(limit));
    case 'NumericGreaterThan':
      return expected.some((limit) => Number(actual) > Number(limit));
    default:
      throw new Error(`policy evaluator: condition operator ${operator} is not supported`);
  }
}

function statementApplies(statement: Statement, request: PolicyRequest, accountRoot: string | undefined): boolean {
  if (!principalMatches(statement, request, accountRoot)) return false;
  if (!list(statement.Action).some((action) => wildcardMatch(action, request.action, true))) return false;
  const resource = request.resource ?? '*';
  if (statement.Resource !== undefined && !list(statement.Resource).some((pattern) => pattern === '*' || wildcardMatch(pattern, resource))) return false;
  const context = { ...(request.context ?? {}), ...(request.principalArn !== undefined ? { 'aws:PrincipalArn': request.principalArn } : {}) };
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(keys)) {
      if (!conditionHolds(operator, key, list(value), context)) return false;
    }
  }
  return true;
}

/** The decision of a policy document (JSON text or parsed) for one request. */
export function evaluate(policy: string | { Statement: Statement[] }, request: PolicyRequest, accountRoot?: string): Decision {
  const doc = typeof policy === 'string' ? (JSON.parse(policy) as { Statement: Statement[] }) : policy;
  const applying = doc.Statement.filter((statement) => statementApplies(statement, request, accountRoot));
  if (applying.some((statement) => statement.Effect === 'Deny')) return 'deny';
  return applying.some((statement) => statement.Effect === 'Allow') ? 'allow' : 'implicit-deny';
}

/** The Sids of the statements that allow the request (for messages). */
export function allowingStatements(policy: string | { Statement: Statement[] }, request: PolicyRequest, accountRoot?: string): string[] {
  const doc = typeof policy === 'string' ? (JSON.parse(policy) as { Statement: Statement[] }) : policy;
  return doc.Statement.filter((s) => s.Effect === 'Allow' && statementApplies(s, request, accountRoot)).map((s) => s.Sid ?? '(no Sid)');
}
