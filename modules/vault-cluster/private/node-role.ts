import { IamInstanceProfile, IamRole, IamRolePolicyAttachment } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import { policyDocument } from '../../shared/policy';

export interface NodeRoleProps {
  readonly baseName: string;
  readonly context: AwsContext;
  readonly sessionManagerAccess: boolean;
  readonly provider?: TerraformProvider;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The nodes' identity: role and instance profile. Its permissions are a separate construct
 * (NodePolicy) because they name the seal key, whose key policy names this role.
 */
export class NodeRole extends Construct {
  public readonly role: IamRole;
  public readonly instanceProfile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'Role', {
      provider: props.provider,
      name: `${props.baseName}-node`,
      description: `Vault nodes of ${props.baseName}`,
      assumeRolePolicy: policyDocument([
        {
          Sid: 'Ec2Nodes',
          Effect: 'Allow',
          Principal: { Service: 'ec2.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ]),
      tags: props.tags,
    });
    this.instanceProfile = new IamInstanceProfile(this, 'InstanceProfile', {
      provider: props.provider,
      name: `${props.baseName}-node`,
      role: this.role.name,
      tags: props.tags,
    });
    if (props.sessionManagerAccess) {
      new IamRolePolicyAttachment(this, 'SessionManager', {
        provider: props.provider,
        role: this.role.name,
        policyArn: `arn:${props.context.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
      });
    }
  }
}
