import type { IConstruct } from 'constructs';
import { DrAutomation } from '../dr-automation/dr-automation';
import { type TerraformStack, TerraformResource } from '../internal/cdktf';
import { VaultCluster } from '../vault-cluster/vault-cluster';
import { VaultSnapshotBucket } from '../vault-snapshots/snapshot-bucket';

/** One checkov finding this package accepts on the resources of its constructs, and why. */
export interface AcceptedCheckovFinding {
  /** The construct class whose resource it is. */
  readonly construct: 'DrAutomation' | 'VaultCluster' | 'VaultSnapshotBucket';
  /** Construct ids from the construct down to the resource (`DnsSwitch/Function`). */
  readonly path: string;
  /** Terraform type of the resource. */
  readonly resourceType: string;
  readonly checkIds: readonly string[];
  readonly reason: string;
}

const LAMBDA = [
  {
    checkIds: ['CKV_AWS_116'],
    reason:
      'Lambda DLQ: failed asynchronous invocations of this DR function go to its on-failure destination (the encrypted failure queue), which carries the error as well as the event; a DLQ as well would file every failure twice.',
  },
  {
    checkIds: ['CKV_AWS_272'],
    reason:
      'Lambda code signing: needs AWS Signer profiles and signed S3 artifacts; the archive is built reproducibly from reviewed sources and pinned by its SHA-256 (source_code_hash), so a changed byte is a planned change.',
  },
];

/**
 * The checkov (3.3.30) findings this package accepts on the resources its constructs create, each
 * with its reason: the design choices README "Security" explains. The same reasons are in this
 * repository's own baseline (ci/checkov-baseline.json), which a test keeps in step with this list.
 */
export const ACCEPTED_CHECKOV_FINDINGS: readonly AcceptedCheckovFinding[] = Object.freeze([
  ...['DnsSwitch', 'DrOperations', 'DrTokenGenerator', 'DrWatchdog'].flatMap((fn) =>
    LAMBDA.map((finding) => ({ construct: 'DrAutomation' as const, path: `${fn}/Function`, resourceType: 'aws_lambda_function', ...finding })),
  ),
  {
    construct: 'DrAutomation',
    path: 'DrTokenSecret',
    resourceType: 'aws_secretsmanager_secret',
    checkIds: ['CKV2_AWS_57'],
    reason:
      "Secrets Manager rotation: the DR token is replaced every refresh interval by dr-token-generator on an EventBridge Scheduler schedule; rotation's four-step protocol and four-hour minimum do not fit a batch token that cannot be revoked.",
  },
  {
    construct: 'VaultCluster',
    path: 'LoadBalancer/LoadBalancer',
    resourceType: 'aws_lb',
    checkIds: ['CKV_AWS_91'],
    reason:
      "NLB access logs: AWS writes NLB access logs only for TLS listeners; this load balancer's TCP listeners pass TLS through to Vault (the cluster port's mutual TLS cannot end at a proxy), so the log bucket would stay empty. Vault's audit log (shipped to CloudWatch) is the request record.",
  },
  {
    construct: 'VaultSnapshotBucket',
    path: 'SnapshotBucket/Bucket',
    resourceType: 'aws_s3_bucket',
    checkIds: ['CKV_AWS_144'],
    reason:
      "S3 cross-region replication: Vault writes every snapshot to both regions' snapshot buckets itself (one automated-snapshot configuration per region's bucket), so replication would only copy each snapshot a second time.",
  },
  {
    construct: 'VaultSnapshotBucket',
    path: 'AccessLogBucket/Bucket',
    resourceType: 'aws_s3_bucket',
    checkIds: ['CKV_AWS_144'],
    reason:
      "S3 cross-region replication: this access-log bucket holds the access logs of the snapshot bucket beside it, in the same region; copying them to the other region adds nothing the other region's own log bucket lacks.",
  },
  {
    construct: 'VaultSnapshotBucket',
    path: 'AccessLogBucket/Bucket',
    resourceType: 'aws_s3_bucket',
    checkIds: ['CKV_AWS_145'],
    reason:
      "S3 default encryption with KMS: S3 server access logging delivers only to buckets encrypted with SSE-S3, and this is the snapshot bucket's access-log bucket (the snapshot bucket itself uses its own KMS key).",
  },
]);

const CLASSES = { DrAutomation, VaultCluster, VaultSnapshotBucket } as const;

/** A finding of checkov's baseline file (`--baseline`); checkov reads `resource` and `check_ids` and ignores `reason`. */
export interface CheckovBaselineFinding {
  readonly resource: string;
  readonly check_ids: string[];
  readonly reason: string;
}

/** checkov's baseline file format (checkov common/output/baseline.py). */
export interface CheckovBaseline {
  readonly failed_checks: Array<{ readonly file: string; readonly findings: CheckovBaselineFinding[] }>;
}

/**
 * The accepted findings of this package's constructs in `stack`, as a checkov baseline file for
 * the stack's synthesized JSON: write it beside your stack and run
 * `checkov -d cdktf.out/stacks/<stack> --framework terraform_json --baseline <file>`. checkov then
 * fails on any other finding, and on these findings on any other resource.
 *
 * checkov names a finding's resource `<type>.<logical id>` for its graph checks and
 * `resource.<logical id>` for its Python checks, and a check may move from one kind to the other
 * between checkov releases; each accepted finding is listed under both names (a name no finding
 * has matches nothing).
 */
export function checkovBaseline(stack: TerraformStack): CheckovBaseline {
  const findings: CheckovBaselineFinding[] = [];
  for (const construct of stack.node.findAll()) {
    for (const accepted of ACCEPTED_CHECKOV_FINDINGS) {
      if (!(construct instanceof CLASSES[accepted.construct])) continue;
      const resource = childAt(construct, accepted.path);
      if (!(resource instanceof TerraformResource) || resource.terraformResourceType !== accepted.resourceType) continue;
      const logicalId = stack.getLogicalId(resource);
      for (const address of [`${accepted.resourceType}.${logicalId}`, `resource.${logicalId}`]) {
        findings.push({ resource: address, check_ids: [...accepted.checkIds], reason: accepted.reason });
      }
    }
  }
  findings.sort((a, b) => a.resource.localeCompare(b.resource) || a.check_ids.join().localeCompare(b.check_ids.join()));
  return { failed_checks: [{ file: '/cdk.tf.json', findings }] };
}

function childAt(construct: IConstruct, path: string): IConstruct | undefined {
  let node: IConstruct | undefined = construct;
  for (const id of path.split('/')) node = node?.node.tryFindChild(id);
  return node;
}
