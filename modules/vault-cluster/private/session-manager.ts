import { IamPolicy, IamRolePolicyAttachment, SsmDocument } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { Construct } from 'constructs';
import { policyDocument, type PolicyStatement } from '../../shared/policy';
import { AUTO_JOIN_TAG_KEY } from '../defaults';
import type { AwsContext } from './aws-context';
import { SESSION_ENCRYPTION_CONTEXT } from './cluster-logs';

export interface SessionManagerAccessProps {
  readonly baseName: string;
  readonly context: AwsContext;
  readonly logGroupName: string;
  readonly keyArn: string;
  /** IAM roles (names) the session policy is attached to. */
  readonly roleNames: readonly string[];
  readonly provider?: TerraformProvider;
  readonly tags: Readonly<Record<string, string>>;
}

/** Session Manager's preferences for the cluster's sessions: logged, encrypted, time-limited. */
export function sessionDocumentContent(props: { baseName: string; logGroupName: string; keyArn: string }): string {
  return JSON.stringify({
    schemaVersion: '1.0',
    description: `Sessions on the Vault nodes of ${props.baseName}: logged to an encrypted log group, encrypted in transit`,
    sessionType: 'Standard_Stream',
    inputs: {
      s3BucketName: '',
      s3KeyPrefix: '',
      s3EncryptionEnabled: true,
      cloudWatchLogGroupName: props.logGroupName,
      cloudWatchEncryptionEnabled: true,
      cloudWatchStreamingEnabled: true,
      kmsKeyId: props.keyArn,
      runAsEnabled: false,
      runAsDefaultUser: '',
      idleSessionTimeout: '20',
      maxSessionDuration: '60',
      shellProfile: { linux: '', windows: '' },
    },
  });
}

/**
 * What an operator needs to open a session on this cluster's nodes and nowhere else: instances that
 * carry the cluster's tag, and only with the cluster's logged document (with
 * `ssm:SessionDocumentAccessCheck`, a session without a document would use the account's default
 * document, which this policy does not allow).
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-restrict-access-examples.html
 */
export function sessionPolicyStatements(props: { baseName: string; context: AwsContext; documentArn: string; keyArn: string }): PolicyStatement[] {
  const { partition, region, accountId } = props.context;
  return [
    {
      Sid: 'StartSessionOnClusterNodes',
      Effect: 'Allow',
      Action: 'ssm:StartSession',
      // Instance ids change with every replacement: the tag, not the id, names the cluster's nodes.
      Resource: `arn:${partition}:ec2:${region}:${accountId}:instance/*`,
      Condition: {
        StringEquals: { [`ssm:resourceTag/${AUTO_JOIN_TAG_KEY}`]: props.baseName },
        BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' },
      },
    },
    {
      Sid: 'StartSessionWithLoggedDocument',
      Effect: 'Allow',
      Action: 'ssm:StartSession',
      Resource: props.documentArn,
    },
    {
      Sid: 'EndOwnSessions',
      Effect: 'Allow',
      Action: ['ssm:ResumeSession', 'ssm:TerminateSession'],
      // A session id starts with its owner's user id; "$$" keeps Terraform from reading the IAM
      // policy variable as its own interpolation.
      Resource: `arn:${partition}:ssm:${region}:${accountId}:session/$\${aws:userid}-*`,
    },
    {
      Sid: 'EncryptSessions',
      Effect: 'Allow',
      Action: 'kms:GenerateDataKey',
      Resource: props.keyArn,
      Condition: SESSION_ENCRYPTION_CONTEXT,
    },
  ];
}

/** The cluster's session document, and the managed policy that lets the given roles use it on the cluster's nodes only. */
export class SessionManagerAccess extends Construct {
  public readonly policyArn: string;
  public readonly documentName: string;

  constructor(scope: Construct, id: string, props: SessionManagerAccessProps) {
    super(scope, id);
    const { provider, context } = props;
    const document = new SsmDocument(this, 'Document', {
      provider,
      name: `${props.baseName}-sessions`,
      documentType: 'Session',
      documentFormat: 'JSON',
      content: sessionDocumentContent({ baseName: props.baseName, logGroupName: props.logGroupName, keyArn: props.keyArn }),
      tags: props.tags,
    });
    const documentArn = `arn:${context.partition}:ssm:${context.region}:${context.accountId}:document/${document.name}`;
    const policy = new IamPolicy(this, 'Policy', {
      provider,
      name: `${props.baseName}-session-manager`,
      description: `Session Manager on the nodes of ${props.baseName} only, logged`,
      policy: policyDocument(sessionPolicyStatements({ baseName: props.baseName, context, documentArn, keyArn: props.keyArn })),
      tags: props.tags,
    });
    props.roleNames.forEach((roleName, index) => {
      new IamRolePolicyAttachment(this, `Attachment${index}`, { provider, role: roleName, policyArn: policy.arn });
    });
    this.policyArn = policy.arn;
    this.documentName = document.name;
  }
}
