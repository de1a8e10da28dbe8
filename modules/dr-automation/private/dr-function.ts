import { Construct } from 'constructs';
import {
  CloudwatchLogGroup,
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
  IamRole,
  IamRolePolicy,
  LambdaFunction,
  LambdaFunctionEventInvokeConfig,
} from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { LAMBDA_ARCHITECTURE, LAMBDA_HANDLER, LAMBDA_RUNTIME, type FunctionSettings } from '../defaults';
import type { VpcPlacement } from '../dr-automation-props';
import { FunctionArchive } from './function-archive';
import { functionBaseStatements, lambdaAssumeRoleStatements, vpcPlacementStatements, type AwsLocation } from './policy-statements';

export interface DrFunctionProps {
  readonly functionName: string;
  readonly settings: FunctionSettings;
  readonly bundleFile: string;
  readonly vaultCaBundlePem: string;
  readonly environmentVariables: Record<string, string>;
  /** The function's own permissions, beyond logs, traces, its environment and its failure queue. */
  readonly statements: DataAwsIamPolicyDocumentStatement[];
  readonly location: AwsLocation;
  readonly keyArn: string;
  readonly failureQueueArn: string;
  readonly logRetentionDays: number;
  readonly vpcPlacement?: VpcPlacement;
  readonly tags: Record<string, string>;
  readonly provider?: TerraformProvider;
  /** Archive provider of the function's archive_file. */
  readonly archiveProvider?: TerraformProvider;
}

/**
 * One DR function: its archive, log group, role (named like the function) with an inline policy,
 * the function, and where its failed asynchronous invocations go.
 */
export class DrFunction extends Construct {
  readonly functionName: string;
  readonly functionArn: string;
  readonly roleArn: string;
  readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: DrFunctionProps) {
    super(scope, id);
    const { provider, tags } = props;

    const archive = new FunctionArchive(this, 'Archive', {
      bundleFile: props.bundleFile,
      vaultCaBundlePem: props.vaultCaBundlePem,
      provider: props.archiveProvider,
    });

    // Created before the function so Lambda never creates it itself, without retention or key.
    const logGroup = new CloudwatchLogGroup(this, 'LogGroup', {
      provider,
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.keyArn,
      tags,
    });

    const assumeRolePolicy = new DataAwsIamPolicyDocument(this, 'AssumeRolePolicy', {
      provider,
      statement: lambdaAssumeRoleStatements(),
    });
    const role = new IamRole(this, 'Role', {
      provider,
      name: props.functionName,
      description: `Execution role of the ${props.functionName} Lambda function`,
      assumeRolePolicy: assumeRolePolicy.json,
      tags,
    });
    const permissions = new DataAwsIamPolicyDocument(this, 'Permissions', {
      provider,
      statement: [
        ...functionBaseStatements({
          location: props.location,
          functionName: props.functionName,
          logGroupArn: logGroup.arn,
          keyArn: props.keyArn,
          failureQueueArn: props.failureQueueArn,
        }),
        ...(props.vpcPlacement ? vpcPlacementStatements({ location: props.location, ...props.vpcPlacement }) : []),
        ...props.statements,
      ],
    });
    const rolePolicy = new IamRolePolicy(this, 'RolePolicy', {
      provider,
      name: props.functionName,
      role: role.name,
      policy: permissions.json,
    });

    const fn = new LambdaFunction(this, 'Function', {
      provider,
      functionName: props.functionName,
      description: props.settings.description,
      role: role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: [LAMBDA_ARCHITECTURE],
      handler: LAMBDA_HANDLER,
      filename: archive.outputPath,
      sourceCodeHash: archive.sourceCodeHash,
      memorySize: props.settings.memorySize,
      timeout: props.settings.timeoutSeconds,
      reservedConcurrentExecutions: props.settings.reservedConcurrency,
      kmsKeyArn: props.keyArn,
      environment: { variables: props.environmentVariables },
      tracingConfig: { mode: 'Active' },
      // Text, not JSON: the functions print their own JSON lines, and the generator's Embedded
      // Metric Format line must reach CloudWatch as printed to become a metric.
      loggingConfig: { logFormat: 'Text', logGroup: logGroup.name },
      vpcConfig: props.vpcPlacement
        ? { subnetIds: props.vpcPlacement.subnetIds, securityGroupIds: props.vpcPlacement.securityGroupIds }
        : undefined,
      tags,
      // A function that starts before its permissions exist fails its first runs.
      dependsOn: [rolePolicy],
    });

    new LambdaFunctionEventInvokeConfig(this, 'AsyncInvokeConfig', {
      provider,
      functionName: fn.functionName,
      maximumRetryAttempts: props.settings.asyncRetryAttempts,
      destinationConfig: { onFailure: { destination: props.failureQueueArn } },
    });

    this.functionName = fn.functionName;
    this.functionArn = fn.arn;
    this.roleArn = role.arn;
    this.logGroupName = logGroup.name;
  }
}
