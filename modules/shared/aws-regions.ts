/**
 * The AWS regions a VPC can exist in, which is where a Vault cluster, its snapshot bucket and the DR
 * functions can run. The list is the AWS SDK's own (Route 53's `VPCRegion`, which names every region
 * that has VPCs); test/modules/shared/validation.test.ts ("regions") fails when the pinned SDK knows a region
 * this list lacks, so a new region is one line here.
 * https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 */
export const AWS_REGIONS: readonly string[] = Object.freeze([
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'eu-central-1',
  'eu-central-2',
  'eu-isoe-west-1',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eusc-de-east-1',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-iso-east-1',
  'us-iso-west-1',
  'us-isob-east-1',
  'us-isob-west-1',
  'us-isof-east-1',
  'us-isof-south-1',
  'us-west-1',
  'us-west-2',
]);

const KNOWN = new Set(AWS_REGIONS);
// Longest first, so that a zone label finds its own region and not a shorter one it starts with.
const BY_LENGTH = [...AWS_REGIONS].sort((a, b) => b.length - a.length);

export function isAwsRegion(value: string): boolean {
  return KNOWN.has(value);
}

/**
 * The region of an availability zone name: `us-east-1` for `us-east-1a` (and for a Local Zone such
 * as `us-east-1-bos-1a`); undefined when the name does not start with a known region.
 */
export function regionOfZone(zone: string): string | undefined {
  const region = BY_LENGTH.find((r) => zone.startsWith(r));
  if (region === undefined) return undefined;
  const rest = zone.slice(region.length);
  return /^[a-z]$/.test(rest) || /^-[a-z0-9]+(?:-[a-z0-9]+)*[a-z]$/.test(rest) ? region : undefined;
}
