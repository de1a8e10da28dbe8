/**
 * IAM and resource policies are written as JSON strings (Terraform references inside them are
 * resolved at apply) rather than aws_iam_policy_document data sources: the tests parse them
 * directly, and a key or bucket policy's "*" resource (meaning "this key/bucket") is not read by
 * policy scanners as an identity policy on every resource.
 */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Readonly<Record<string, string | readonly string[]>> | '*';
  readonly Action: string | readonly string[];
  /** Absent only in a trust policy. */
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
