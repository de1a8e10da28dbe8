import { CloudwatchLogGroup, KmsAlias, type KmsKey } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { Construct } from 'constructs';
import { customerManagedKey, keyAdministration, keyPolicyAdministration } from '../../shared/kms-key';
import type { PolicyStatement } from '../../shared/policy';
import { clusterLogGroupNames } from '../defaults';
import type { AwsContext } from './aws-context';

export interface ClusterLogsProps {
  readonly baseName: string;
  readonly context: AwsContext;
  readonly retentionDays: number;
  /** Whether Session Manager is on: its log group, and the key's session statement. */
  readonly sessions: boolean;
  readonly keyAdministratorArns: readonly string[];
  readonly provider?: TerraformProvider;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Session Manager encrypts session data under an encryption context naming the session
 * (`aws:ssm:SessionId`): the key serves sessions and nothing else through this statement.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/session-preferences-enable-encryption.html
 */
export const SESSION_ENCRYPTION_CONTEXT = { StringLike: { 'kms:EncryptionContext:aws:ssm:SessionId': '*' } } as const;

/** The key policy of a cluster's logs key. */
export function clusterLogsKeyPolicy(props: {
  context: AwsContext;
  logGroupArns: readonly string[];
  sessions: boolean;
  keyAdministratorArns: readonly string[];
}): PolicyStatement[] {
  const { context } = props;
  const statements: PolicyStatement[] = [
    keyAdministration(context.accountRootArn),
    keyPolicyAdministration(props.keyAdministratorArns),
    {
      Sid: 'CloudWatchLogsEncryptsClusterLogGroups',
      Effect: 'Allow',
      Principal: { Service: `logs.${context.region}.amazonaws.com` },
      Action: ['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      Resource: '*',
      Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': [...props.logGroupArns] } },
    },
  ];
  if (props.sessions) {
    statements.push({
      // Operators encrypt (GenerateDataKey), the node's agent decrypts; IAM decides who (the
      // cluster's session policy and the node role).
      Sid: 'SessionManagerEncryptsSessions',
      Effect: 'Allow',
      Principal: { AWS: context.accountRootArn },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: SESSION_ENCRYPTION_CONTEXT,
    });
  }
  return statements;
}

/**
 * A cluster's log groups (the audit log its nodes ship, the Session Manager sessions) and the key
 * that encrypts them and the sessions, with a retention.
 */
export class ClusterLogs extends Construct {
  public readonly key: KmsKey;
  public readonly auditLogGroup: CloudwatchLogGroup;
  /** Present when Session Manager is on. */
  public readonly sessionLogGroup?: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: ClusterLogsProps) {
    super(scope, id);
    const { context, provider } = props;
    const names = clusterLogGroupNames(props.baseName);
    // Named rather than referenced: the key comes first, the groups need it.
    const arnOf = (name: string) => `arn:${context.partition}:logs:${context.region}:${context.accountId}:log-group:${name}`;

    this.key = customerManagedKey(this, 'Key', {
      provider,
      description: props.sessions ? `${props.baseName}: the audit log, Session Manager logs and sessions` : `${props.baseName}: the audit log`,
      policy: clusterLogsKeyPolicy({
        context,
        logGroupArns: props.sessions ? [arnOf(names.audit), arnOf(names.sessions)] : [arnOf(names.audit)],
        sessions: props.sessions,
        keyAdministratorArns: props.keyAdministratorArns,
      }),
      tags: { ...props.tags, Name: `${props.baseName}-logs` },
    });
    new KmsAlias(this, 'Alias', { provider, name: `alias/${props.baseName}-logs`, targetKeyId: this.key.keyId });

    const group = (groupId: string, name: string) =>
      new CloudwatchLogGroup(this, groupId, {
        provider,
        name,
        retentionInDays: props.retentionDays,
        kmsKeyId: this.key.arn,
        tags: props.tags,
      });
    this.auditLogGroup = group('AuditLog', names.audit);
    this.sessionLogGroup = props.sessions ? group('SessionLog', names.sessions) : undefined;
  }
}
