import { evaluate, wildcardMatch } from './policy-evaluator';

/** The evaluator's own cases, from AWS's evaluation rules, so a policy test cannot pass through it by accident. */
describe('policy evaluator', () => {
  const root = 'arn:aws:iam::111122223333:root';
  const role = 'arn:aws:iam::111122223333:role/reader';
  const doc = (...Statement: object[]) => ({ Statement }) as never;

  it('denies implicitly when nothing allows, allows on an Allow, and lets an explicit Deny win', () => {
    const allow = { Effect: 'Allow', Principal: { AWS: role }, Action: 's3:GetObject', Resource: '*' };
    const deny = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' };
    expect(evaluate(doc(), { principalArn: role, action: 's3:GetObject' })).toBe('implicit-deny');
    expect(evaluate(doc(allow), { principalArn: role, action: 's3:GetObject' })).toBe('allow');
    expect(evaluate(doc(allow), { principalArn: 'arn:aws:iam::111122223333:role/other', action: 's3:GetObject' })).toBe('implicit-deny');
    expect(evaluate(doc(allow, deny), { principalArn: role, action: 's3:GetObject' })).toBe('deny');
  });

  it('treats the account root as any principal of the account only when told it is the root', () => {
    const delegated = doc({ Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:Decrypt', Resource: '*' });
    expect(evaluate(delegated, { principalArn: role, action: 'kms:Decrypt' }, root)).toBe('allow');
    expect(evaluate(delegated, { principalArn: role, action: 'kms:Decrypt' })).toBe('implicit-deny');
  });

  it('matches service principals, action wildcards and case, and resource wildcards', () => {
    const logs = doc({ Effect: 'Allow', Principal: { Service: 'logs.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: 'arn:aws:s3:::b/*' });
    expect(evaluate(logs, { service: 'logs.amazonaws.com', action: 'KMS:GenerateDataKeyWithoutPlaintext', resource: 'arn:aws:s3:::b/x' })).toBe('allow');
    expect(evaluate(logs, { service: 'logs.amazonaws.com', action: 'kms:Decrypt', resource: 'arn:aws:s3:::b/x' })).toBe('implicit-deny');
    expect(evaluate(logs, { service: 'logs.amazonaws.com', action: 'kms:GenerateDataKey', resource: 'arn:aws:s3:::c/x' })).toBe('implicit-deny');
    expect(evaluate(logs, { principalArn: role, action: 'kms:GenerateDataKey', resource: 'arn:aws:s3:::b/x' })).toBe('implicit-deny');
    expect(wildcardMatch('arn:*:secret:name-??????', 'arn:aws:secret:name-AbC123')).toBe(true);
    expect(wildcardMatch('arn:*:secret:name-??????', 'arn:aws:secret:name-AbC1234')).toBe(false);
  });

  it('fails a condition whose key is absent, except the negated and IfExists operators', () => {
    const statement = (Condition: object) => doc({ Effect: 'Allow', Principal: '*', Action: 'x:Y', Resource: '*', Condition });
    expect(evaluate(statement({ StringEquals: { 'k:v': 'a' } }), { action: 'x:Y' })).toBe('implicit-deny');
    expect(evaluate(statement({ StringEquals: { 'k:v': 'a' } }), { action: 'x:Y', context: { 'k:v': 'a' } })).toBe('allow');
    expect(evaluate(statement({ StringEquals: { 'k:v': ['b', 'a'] } }), { action: 'x:Y', context: { 'k:v': 'c' } })).toBe('implicit-deny');
    expect(evaluate(statement({ BoolIfExists: { 'k:b': 'true' } }), { action: 'x:Y' })).toBe('allow');
    expect(evaluate(statement({ BoolIfExists: { 'k:b': 'true' } }), { action: 'x:Y', context: { 'k:b': 'false' } })).toBe('implicit-deny');
    expect(evaluate(statement({ StringLike: { 'k:v': 'a*' } }), { action: 'x:Y', context: { 'k:v': 'abc' } })).toBe('allow');
    expect(evaluate(statement({ NumericLessThan: { 'k:n': '1.2' } }), { action: 'x:Y', context: { 'k:n': '1.1' } })).toBe('allow');
    expect(evaluate(statement({ NumericLessThan: { 'k:n': '1.2' } }), { action: 'x:Y', context: { 'k:n': '1.3' } })).toBe('implicit-deny');
  });

  it('reads aws:PrincipalArn from the caller, for the "everyone but" Deny', () => {
    const denyOthers = doc({ Effect: 'Deny', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { ArnNotEquals: { 'aws:PrincipalArn': [role] } } });
    expect(evaluate(denyOthers, { principalArn: role, action: 'secretsmanager:GetSecretValue' })).toBe('implicit-deny');
    expect(evaluate(denyOthers, { principalArn: 'arn:aws:iam::111122223333:role/admin', action: 'secretsmanager:GetSecretValue' })).toBe('deny');
  });
});
