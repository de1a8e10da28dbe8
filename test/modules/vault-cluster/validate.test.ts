import { Token } from '../../../modules/internal/cdktf';
import { VaultCluster } from '../../../modules/vault-cluster';
import type { VaultClusterProps } from '../../../modules/vault-cluster/types';
import { validateVaultClusterProps } from '../../../modules/vault-cluster/validate';
import { PropsValidationError } from '../../../modules/shared/props-validation-error';
import { clusterProps } from './fixtures';
import { synth } from './synth';
import { testStack } from '../support/synthesized';

/** A Terraform reference, unresolved at synth. */
const unresolved = (expression: string) => ({ creationStack: [], resolve: () => expression, toString: () => expression });

const check = (overrides: Partial<VaultClusterProps>) => () => validateVaultClusterProps(testStack(), clusterProps(overrides));

describe('VaultCluster validation', () => {
  it('accepts the fixture props', () => {
    expect(check({})).not.toThrow();
  });

  it('runs before any resource is created', () => {
    expect(() => synth((scope) => new VaultCluster(scope, 'Bad', clusterProps({ nodeCount: 4 })))).toThrow(PropsValidationError);
  });

  it.each([2, 4, 6, 1, 7])('refuses nodeCount %i (3 or 5 only)', (nodeCount) => {
    expect(check({ nodeCount })).toThrow(`VaultCluster prop "nodeCount": must be 3 or 5 (an odd number of Raft voters: 3 survives one lost node, 5 survives two); got ${nodeCount}`);
  });

  it('refuses a nodeCount token', () => {
    expect(check({ nodeCount: Token.asNumber(unresolved('${var.nodes}')) })).toThrow(/prop "nodeCount": must be a number known at synth/);
  });

  it('refuses subnets in fewer than three availability zones, naming them', () => {
    const subnets = [
      { subnetId: 'subnet-a', availabilityZone: 'us-east-1a' },
      { subnetId: 'subnet-b', availabilityZone: 'us-east-1b' },
      { subnetId: 'subnet-c', availabilityZone: 'us-east-1b' },
    ];
    expect(check({ subnets })).toThrow(
      'VaultCluster prop "subnets": span 2 availability zone(s) (us-east-1a, us-east-1b); give subnets in at least 3 distinct zones so the Raft quorum survives the loss of a zone',
    );
  });

  it('refuses a subnet given twice', () => {
    const subnets = [...clusterProps().subnets, { subnetId: 'subnet-a', availabilityZone: 'us-east-1a' }];
    expect(check({ subnets })).toThrow('VaultCluster prop "subnets": lists subnet-a twice; give each subnet once');
  });

  it('skips the zone count when a zone is a token', () => {
    const subnets = [{ subnetId: 'subnet-a', availabilityZone: Token.asString(unresolved('${data.x.az}')) }];
    expect(check({ subnets })).not.toThrow();
  });

  it.each(['0.0.0.0/0', '::/0', '10.1.2.3/0'])('refuses %s in allowedClientCidrs', (cidr) => {
    expect(check({ allowedClientCidrs: ['10.0.0.0/16', cidr] })).toThrow(
      `VaultCluster prop "allowedClientCidrs[1]": has "${cidr}", which opens Vault to every address; list the client or peer networks instead`,
    );
  });

  it('refuses a subnet whose cidrBlock is no CIDR or the whole address space, and accepts its own CIDR', () => {
    const withCidr = (cidrBlock: string) => clusterProps().subnets.map((s, i) => (i === 0 ? { ...s, cidrBlock } : s));
    expect(check({ subnets: withCidr('10.0.0.0') })).toThrow('VaultCluster prop "subnets[0].cidrBlock": give subnet-a its own CIDR as cidrBlock (got "10.0.0.0")');
    expect(check({ subnets: withCidr('0.0.0.0/0') })).toThrow(/give subnet-a its own CIDR/);
    expect(check({ subnets: withCidr('10.0.0.0/20') })).not.toThrow();
  });

  it.each([
    ['key administrators given as an empty list', { keyAdministratorArns: [] }, 'keyAdministratorArns', 'at least one principal'],
    ['a key administrator that is a session', { keyAdministratorArns: ['arn:aws:sts::111122223333:assumed-role/deploy/jenkins'] }, 'keyAdministratorArns[0]', 'must be an IAM role or user ARN'],
    ['a session role given as an ARN', { sessionManagerRoleNames: ['arn:aws:iam::111122223333:role/ops'] }, 'sessionManagerRoleNames[0]', 'not an IAM role name'],
    ['session roles without Session Manager', { sessionManagerAccess: false, sessionManagerRoleNames: ['ops'] }, 'sessionManagerRoleNames', 'sessionManagerAccess is false'],
  ] as Array<[string, Partial<VaultClusterProps>, string, string]>)('refuses %s', (_case, overrides, prop, explanation) => {
    expect(check(overrides)).toThrow(`VaultCluster prop "${prop}": `);
    expect(check(overrides)).toThrow(explanation);
  });

  it('accepts key administrators that are roles or users, and session roles by name', () => {
    expect(check({ keyAdministratorArns: ['arn:aws:iam::111122223333:role/deploy', 'arn:aws:iam::111122223333:user/break-glass'], sessionManagerRoleNames: ['vault-ops'] })).not.toThrow();
  });

  it('refuses 0.0.0.0/0 in peerClusterCidrs', () => {
    expect(check({ peerClusterCidrs: ['0.0.0.0/0'] })).toThrow(/prop "peerClusterCidrs\[0\]": has "0.0.0.0\/0", which opens Vault to every address/);
  });

  it.each(['10.0.0.0', '10.0.0.300/16', '10.0.0.0/33', 'fd00::/129', 'vpc-cidr'])('refuses the malformed CIDR %s', (cidr) => {
    expect(check({ allowedClientCidrs: [cidr] })).toThrow(`VaultCluster prop "allowedClientCidrs[0]": has "${cidr}", which is not an IPv4 or IPv6 CIDR`);
  });

  it('allows 0.0.0.0/0 as AWS API egress (HTTPS out through a NAT gateway)', () => {
    expect(check({ awsApiEgressCidrs: ['0.0.0.0/0'] })).not.toThrow();
    expect(check({ awsApiEgressCidrs: ['nat'] })).toThrow(/prop "awsApiEgressCidrs\[0\]": has "nat"/);
  });

  it('refuses a cluster no client can reach', () => {
    expect(check({ allowedClientCidrs: [], allowedClientSecurityGroupIds: [] })).toThrow(
      'VaultCluster prop "allowedClientCidrs": and allowedClientSecurityGroupIds are both empty, so no client could reach the API; set one of them (the DR functions need it)',
    );
  });

  describe('security group rules against the account\'s quota', () => {
    // Counted from what private/security-groups.ts creates: nodes' inbound = clients + 2 per peer
    // CIDR + 2 from the load balancer + 2 from the other nodes; load balancer's inbound = clients +
    // 2 per peer CIDR; nodes' outbound = 2 per peer CIDR + 2 to the other nodes + the AWS API egress.
    const peers = (n: number) => Array.from({ length: n }, (_, i) => `10.${100 + i}.0.0/20`);
    const clients = (n: number) => Array.from({ length: n }, (_, i) => `10.200.${i}.0/24`);

    it('accepts exactly the quota of inbound rules on the nodes\' group, and refuses one more, naming the count and the fix', () => {
      expect(check({ peerClusterCidrs: peers(27), allowedClientCidrs: clients(2), allowedClientSecurityGroupIds: [] })).not.toThrow(); // 2 + 54 + 4 = 60
      expect(check({ peerClusterCidrs: peers(27), allowedClientCidrs: clients(3), allowedClientSecurityGroupIds: [] })).toThrow(
        /prop "peerClusterCidrs": with allowedClientCidrs and allowedClientSecurityGroupIds makes 61 inbound rules on the nodes' security group, more than securityGroupRuleQuota \(60, AWS's "Inbound or outbound rules per security group"\): let in fewer/,
      );
    });

    it('counts the outbound rules too (the AWS API egress)', () => {
      const egress = clients(3);
      // outbound: 2 * 27 + 2 + 3 = 59 (accepted); with 28 peers inbound already overflows, so grow the egress instead.
      expect(check({ peerClusterCidrs: peers(27), allowedClientCidrs: [], allowedClientSecurityGroupIds: ['sg-1'], awsApiEgressCidrs: egress })).not.toThrow();
      expect(check({ peerClusterCidrs: peers(27), allowedClientCidrs: [], allowedClientSecurityGroupIds: ['sg-1'], awsApiEgressCidrs: clients(5) })).toThrow(/makes 61 outbound rules on the nodes' security group/);
    });

    it('follows a raised quota, and refuses a quota AWS does not have', () => {
      expect(check({ peerClusterCidrs: peers(40), securityGroupRuleQuota: 200 })).not.toThrow();
      expect(check({ peerClusterCidrs: peers(40) })).toThrow(/more than securityGroupRuleQuota \(60/);
      expect(check({ securityGroupRuleQuota: 5000 })).toThrow(/prop "securityGroupRuleQuota"/);
    });

    it('the primary of a full topology (four performance secondaries with DR secondaries, three subnets each) fits', () => {
      expect(check({ peerClusterCidrs: peers(27), allowedClientCidrs: clients(1), allowedClientSecurityGroupIds: ['sg-1'] })).not.toThrow();
    });
  });

  it('accepts security groups alone as clients', () => {
    expect(check({ allowedClientCidrs: [], allowedClientSecurityGroupIds: ['sg-1'] })).not.toThrow();
  });

  it('refuses both or neither of amiId and ssmParameterName', () => {
    const message = 'VaultCluster prop "image": needs exactly one of amiId and ssmParameterName';
    expect(check({ image: {} })).toThrow(message);
    expect(check({ image: { amiId: 'ami-1', ssmParameterName: '/ami' } })).toThrow(message);
  });

  it('refuses an AMI id that is not one', () => {
    expect(check({ image: { amiId: 'ubuntu' } })).toThrow('VaultCluster prop "image.amiId": must be an AMI id (ami-0123456789abcdef0), not a name or an ARN (got "ubuntu")');
  });

  it.each([
    ['tls.certificateSecretArn', { tls: { ...clusterProps().tls, certificateSecretArn: 'vault-cert' } }],
    ['tls.privateKeySecretArn', { tls: { ...clusterProps().tls, privateKeySecretArn: 'arn:aws:s3:::bucket/key' } }],
    ['tls.caBundleSecretArn', { tls: { ...clusterProps().tls, caBundleSecretArn: 'ca' } }],
    ['licenseSecretArn', { licenseSecretArn: 'license' }],
  ])('refuses a %s that is not a Secrets Manager ARN', (prop, overrides) => {
    expect(check(overrides as Partial<VaultClusterProps>)).toThrow(`VaultCluster prop "${prop}":`);
    expect(check(overrides as Partial<VaultClusterProps>)).toThrow(/must be a Secrets Manager secret ARN/);
  });

  it('accepts secret ARNs that are tokens', () => {
    expect(check({ licenseSecretArn: Token.asString(unresolved('${aws_secretsmanager_secret.license.arn}')) })).not.toThrow();
  });

  it.each([
    ['environment', { environment: 'Dev' }],
    ['clusterName', { clusterName: 'dr_1' }],
  ])('refuses an %s that is not lowercase letters, digits and hyphens', (prop, overrides) => {
    expect(check(overrides)).toThrow(`VaultCluster prop "${prop}": must be lowercase letters, digits and single hyphens, starting with a letter`);
  });

  it('refuses names too long for load balancer and target group names', () => {
    expect(check({ environment: 'production', clusterName: 'eu-central-1-dr' })).toThrow(
      'VaultCluster prop "clusterName": "vault-production-eu-central-1-dr" (vault-<environment>-<clusterName>) is 32 characters; shorten environment or clusterName so it fits 27',
    );
  });

  it('refuses a hosted zone name with a trailing dot', () => {
    expect(check({ hostedZoneName: 'example.com.' })).toThrow('VaultCluster prop "hostedZoneName": must be the zone\'s domain (example.com), without the trailing dot');
  });

  it.each([
    ['dataVolumeIops', { dataVolumeIops: 100 }, 'must be an integer from 3000 to 80000; got 100'],
    ['dataVolumeThroughput', { dataVolumeThroughput: 50 }, 'must be an integer from 125 to 2000; got 50'],
    ['dataVolumeSizeGiB', { dataVolumeSizeGiB: 1.5 }, 'must be an integer from 10 to 16384; got 1.5'],
    ['rootVolumeSizeGiB', { rootVolumeSizeGiB: 2 }, 'must be an integer from 8 to 16384; got 2'],
    ['healthCheckGracePeriodSeconds', { healthCheckGracePeriodSeconds: 30 }, 'must be an integer from 60 to 7200; got 30'],
    ['instanceWarmupSeconds', { instanceWarmupSeconds: -1 }, 'must be an integer from 0 to 3600; got -1'],
  ])('refuses %s out of range', (prop, overrides, problem) => {
    expect(check(overrides)).toThrow(`VaultCluster prop "${prop}": ${problem}`);
  });
});
