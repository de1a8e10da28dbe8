/**
 * The rules of the props several constructs share, each declared once: every construct that takes
 * an `environment`, a name label, a region, an id or an ARN checks it with the rule here, so one
 * value is accepted or refused alike everywhere (test/modules/shared/validation.test.ts).
 *
 * A rule takes a value and returns the problem, a sentence that says what is wrong and the fix, or
 * undefined when the value is fine. Values that may be Terraform references (ids and ARNs of other
 * resources) pass `orReference`; values names are computed from must be plain strings (`plain`).
 */
import { isIP } from 'node:net';
import { Token } from '../internal/cdktf';
import { isWorldOpen, parseCidr } from '../vault-cluster/cidr';
import { isAwsRegion, regionOfZone } from './aws-regions';
import { CLOUDWATCH_LOG_RETENTION_DAYS } from './log-retention';
import { clusterNameProblem } from '../../functions/shared/settings/clusters';

/** The problem with a value, or undefined. */
export type Rule = (value: unknown) => string | undefined;

/** Whether a value is known at synth (not a Terraform reference). */
export function known(value: unknown): boolean {
  return !Token.isUnresolved(value);
}

const got = (value: unknown): string => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value));

/** Runs the rules in order and returns the first problem. */
export function all(...rules: Rule[]): Rule {
  return (value) => {
    for (const rule of rules) {
      const problem = rule(value);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

/** The rule, or nothing to say when the value is a Terraform reference (resolved at plan time). */
export function orReference(rule: Rule): Rule {
  return (value) => (known(value) ? rule(value) : undefined);
}

/** A non-empty string. */
export const requiredString: Rule = (value) =>
  typeof value === 'string' && value.length > 0 ? undefined : `is required and must be a non-empty string (got ${got(value)})`;

/** A non-empty string known at synth: names and addresses are computed from it. */
export function plain(why: string): Rule {
  return all(requiredString, (value) => (known(value) ? undefined : `must be a plain string, not a Terraform reference: ${why}`));
}

// ---------------------------------------------------------------------------------------------
// Names

/**
 * Name labels (environment, identifier, clusterName, snapshot destination names): they become parts
 * of AWS resource names, IAM and Vault policy names and S3 bucket names, so: lowercase letters,
 * digits and single inner hyphens, starting with a letter (S3, IAM, Vault and DNS all take that).
 */
export const NAME_LABEL = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;

/** A name label of at most `maxLength` characters. */
export function nameLabel(maxLength: number): Rule {
  return all(plain('resource names are computed from it'), (value) => {
    const text = value as string;
    if (!NAME_LABEL.test(text)) {
      return `must be lowercase letters, digits and single hyphens, starting with a letter and not ending in a hyphen (got "${text}")`;
    }
    return text.length > maxLength ? `must be at most ${maxLength} characters (got "${text}", ${text.length})` : undefined;
  });
}

/**
 * `environment`: a short name label (`dev`, `stage`, `prod`, `perf-eu`). At most 16 characters so
 * that every construct's names built from it still fit AWS's limits with a name of its own beside it.
 */
export const ENVIRONMENT_MAX_LENGTH = 16;
export const environment: Rule = nameLabel(ENVIRONMENT_MAX_LENGTH);

/**
 * The name of a cluster in `VAULT_CLUSTERS`, which is also the Route 53 set identifier of its
 * weighted record. One rule, the functions' own (functions/shared/settings/clusters.ts): they
 * refuse at start-up a name that breaks it, so the synth refuses the same names.
 */
export const clusterName: Rule = all(plain('it is the set identifier of the weighted record and the name in VAULT_CLUSTERS'), (value) => {
  const problem = clusterNameProblem(value);
  return problem === undefined ? undefined : `${problem} (it is the Route 53 set identifier and the functions' cluster name)`;
});

// ---------------------------------------------------------------------------------------------
// Regions and zones

export const awsRegion: Rule = all(plain('it is compared with the other regions of the stack'), (value) =>
  isAwsRegion(value as string) ? undefined : `must be an AWS region that has VPCs, such as us-east-1 (got "${value}": no such region)`,
);

/** An availability zone name (`us-east-1a`), not a zone id (`use1-az1`). */
export const zoneLabel: Rule = orReference(
  all(requiredString, (value) =>
    regionOfZone(value as string) !== undefined
      ? undefined
      : `must be an availability zone name of a known region, such as us-east-1a (not a zone id such as use1-az1; got "${value}")`,
  ),
);

// ---------------------------------------------------------------------------------------------
// Resource ids

/**
 * An EC2-style resource id: `<prefix>-` and lowercase hex. Only the prefix and the characters are
 * checked: AWS has lengthened ids once (8 to 17 characters), and the mistake teams make is an id of
 * another kind (a VPC id where a subnet goes), a name or an ARN.
 */
export function resourceId(prefix: string, kind: string): Rule {
  const shape = new RegExp(`^${prefix}-[0-9a-z]+$`);
  return orReference(
    all(requiredString, (value) =>
      shape.test(value as string) ? undefined : `must be ${kind} id (${prefix}-0123456789abcdef0), not a name or an ARN (got "${value}")`,
    ),
  );
}

export const vpcId = resourceId('vpc', 'a VPC');
export const subnetId = resourceId('subnet', 'a subnet');
export const securityGroupId = resourceId('sg', 'a security group');
export const prefixListId = resourceId('pl', 'a managed prefix list');
export const routeTableId = resourceId('rtb', 'a route table');
export const amiId = resourceId('ami', 'an AMI');

/** A Route 53 hosted zone id. */
export const hostedZoneId: Rule = orReference(
  all(requiredString, (value) =>
    /^Z[A-Z0-9]{1,31}$/.test(value as string)
      ? undefined
      : `must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ, without "/hostedzone/" (got "${value}")`,
  ),
);

// ---------------------------------------------------------------------------------------------
// ARNs

interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** The fields of an ARN, or undefined when the text is not one. */
export function parseArn(value: string): ParsedArn | undefined {
  const match = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|):(.+)$/.exec(value);
  if (!match) return undefined;
  return { partition: match[1]!, service: match[2]!, region: match[3]!, account: match[4]!, resource: match[5]! };
}

/** An ARN, of `service` when given. */
export function arn(service?: string, example = 'arn:aws:sns:us-east-1:111111111111:vault-alerts'): Rule {
  return orReference(
    all(requiredString, (value) => {
      const parsed = parseArn(value as string);
      if (parsed === undefined || (service !== undefined && parsed.service !== service)) {
        return `must be ${service ? `a ${service} ` : 'an '}ARN such as ${example} (got "${value}")`;
      }
      if (parsed.region !== '' && !isAwsRegion(parsed.region)) return `names the region "${parsed.region}", which does not exist (got "${value}")`;
      return undefined;
    }),
  );
}

/**
 * A KMS key ARN. Not an alias ARN: key policies, grants, IAM resources and encryption contexts all
 * match the key ARN, so a grant written for the alias matches nothing.
 */
export const kmsKeyArn: Rule = orReference(
  all(arn('kms', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab'), (value) => {
    const { resource } = parseArn(value as string)!;
    if (resource.startsWith('alias/')) {
      return `is an alias ARN; give the key ARN (arn:aws:kms:<region>:<account>:key/<key id>, aws kms describe-key --key-id ${resource} shows it): IAM and key policies match the key ARN, never its alias (got "${value}")`;
    }
    return /^key\/[A-Za-z0-9-]+$/.test(resource) ? undefined : `must name a key: arn:aws:kms:<region>:<account>:key/<key id> (got "${value}")`;
  }),
);

const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const IAM_USER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:user\/[\w+=,.@/-]+$/;

/** An IAM role ARN, not a user or an assumed-role session. */
export const iamRoleArn: Rule = orReference(
  all(requiredString, (value) =>
    IAM_ROLE_ARN.test(value as string)
      ? undefined
      : `must be an IAM role ARN such as arn:aws:iam::111111111111:role/vault-dr-break-glass (not a user or an assumed-role session; got "${value}")`,
  ),
);

/** An IAM role or user ARN (a principal a key or bucket policy can name). */
export const iamPrincipalArn: Rule = orReference(
  all(requiredString, (value) =>
    IAM_ROLE_ARN.test(value as string) || IAM_USER_ARN.test(value as string)
      ? undefined
      : `must be an IAM role or user ARN such as arn:aws:iam::111111111111:role/vault-dr-terraform-apply (not an assumed-role session; got "${value}")`,
  ),
);

/** A Secrets Manager secret ARN (the nodes read it by ARN, and IAM grants it by ARN). */
export const secretArn: Rule = orReference(
  all(requiredString, (value) =>
    /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+/.test(value as string)
      ? undefined
      : `must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>; got "${value}")`,
  ),
);

/** The region of an ARN known at synth, when it has one. */
export function regionOfArn(value: unknown): string | undefined {
  if (typeof value !== 'string' || !known(value)) return undefined;
  const region = parseArn(value)?.region;
  return region === undefined || region === '' ? undefined : region;
}

// ---------------------------------------------------------------------------------------------
// Addresses

/** The parsed URL of a Vault address, or the problem with it. */
export function parseHttpsAddress(value: unknown): URL | string {
  if (typeof value !== 'string' || value.length === 0) return `is required: an https URL such as https://vault.example.com:8200 (got ${got(value)})`;
  if (!known(value)) return 'must be a plain string, not a Terraform reference: its host names DNS records and is compared with the other addresses';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `must be an https URL such as https://vault.example.com:8200 (got "${value}")`;
  }
  if (url.protocol !== 'https:') return `must use https: TLS verification is always on (got "${value}")`;
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    return `must be the address of the listener only, without path, query or credentials (got "${value}")`;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) {
    return `must name its host by DNS name, not by IP address: the weighted records are CNAMEs to it and the certificate names it (got "${value}")`;
  }
  return url;
}

/** An https address of a Vault listener, named by DNS. */
export const httpsAddress: Rule = (value) => {
  const parsed = parseHttpsAddress(value);
  return typeof parsed === 'string' ? parsed : undefined;
};

/** The lowercase host of an address that passed `httpsAddress`. */
export function hostOf(address: string): string {
  return new URL(address).hostname.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Numbers, CIDRs, retention

/** A whole number from `min` to `max` (both included); `why` says where the upper bound comes from. */
export function wholeNumber(min: number, max: number, unit: string, why?: string): Rule {
  return (value) => {
    if (!known(value)) return `must be a number known at synth, not a Terraform reference (got ${got(value)})`;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) return `must be a whole number of ${unit}, at least ${min} (got ${got(value)})`;
    if (value > max) return `must be at most ${max} ${unit}${why ? ` (${why})` : ''} (got ${value})`;
    return undefined;
  };
}

/** A CIDR, never the whole address space unless `allowWorld`. */
export function cidr(allowWorld: boolean, example = '10.0.0.0/16'): Rule {
  return orReference((value) => {
    if (typeof value !== 'string') return `must be a CIDR string such as ${example} (got ${got(value)})`;
    const parsed = parseCidr(value);
    if (!parsed) return `has "${value}", which is not an IPv4 or IPv6 CIDR (${example}, fd00::/8)`;
    if (!allowWorld && isWorldOpen(parsed)) return `has "${value}", which opens Vault to every address; list the client or peer networks instead`;
    return undefined;
  });
}

/** A retention CloudWatch Logs accepts. */
export const logRetentionDays: Rule = (value) =>
  typeof value === 'number' && CLOUDWATCH_LOG_RETENTION_DAYS.includes(value)
    ? undefined
    : `must be one of ${CLOUDWATCH_LOG_RETENTION_DAYS.join(', ')} (the values CloudWatch Logs accepts; got ${got(value)})`;

/** Where the construct's alarms live must be where their topics live: CloudWatch notifies only its own region. */
export function alarmActionRegionProblem(actionArn: unknown, alarmRegion: string | undefined): string | undefined {
  const region = regionOfArn(actionArn);
  if (alarmRegion === undefined || region === undefined || region === alarmRegion) return undefined;
  return `is in ${region}, but the alarms are in ${alarmRegion}: CloudWatch alarms notify only topics of their own region; give the ${alarmRegion} copy of the topic (got "${actionArn}")`;
}
