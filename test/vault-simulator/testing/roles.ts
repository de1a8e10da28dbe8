/** The two functions' IAM role ARNs that configureDr binds their AWS auth roles to, for tests that need no login. */
export const FUNCTION_ROLES = {
  generatorRoleArn: 'arn:aws:iam::123456789012:role/dr-token-generator',
  operationsRoleArn: 'arn:aws:iam::123456789012:role/dr-operations',
} as const;
