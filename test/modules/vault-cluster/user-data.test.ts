import { parseHcl as parse } from '../../../modules/internal/testing';
import { VaultCluster } from '../../../modules/vault-cluster';
import { CLOUDWATCH_AGENT_HEREDOC, VAULT_CONFIG_HEREDOC, renderUserData } from '../../../modules/vault-cluster/user-data';
import { clusterProps } from './fixtures';
import { byId, ref, single, synth } from './synth';

const props = clusterProps();
const input = {
  clusterName: 'vault-dev-primary',
  sealKmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  tlsServerName: 'vault-dev-primary.example.com',
  tls: props.tls,
  licenseSecretArn: props.licenseSecretArn,
};

/** The Vault configuration the script writes, cut out at its heredoc. */
function vaultConfigOf(script: string): string {
  const match = new RegExp(`<<${VAULT_CONFIG_HEREDOC}\\n([\\s\\S]*?)^${VAULT_CONFIG_HEREDOC}$`, 'm').exec(script);
  if (!match) throw new Error('no Vault configuration heredoc in the user data');
  return match[1];
}

/** Decodes `${base64encode("...")}` as Terraform would read the HCL string, interpolations kept. */
async function scriptOf(userData: string): Promise<string> {
  const match = /^\$\{base64encode\("([\s\S]*)"\)\}$/.exec(userData);
  if (!match) throw new Error(`user_data is not a base64encode call: ${userData.slice(0, 80)}`);
  const parsed = await parse('user-data.tf', `script = "${match[1]}"`);
  return parsed.script;
}

describe('renderUserData', () => {
  const script = renderUserData(input);

  it('is deterministic', () => {
    expect(renderUserData({ ...input })).toBe(script);
  });

  it('is a bash script that stops at the first error', () => {
    expect(script.startsWith('#!/bin/bash\n')).toBe(true);
    expect(script).toContain('set -euo pipefail');
  });

  it('uses an IMDSv2 session token for every metadata read', () => {
    expect(script).toContain("-X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token");
    const metadataReads = script.match(/http:\/\/169\.254\.169\.254\/latest\/meta-data/g) ?? [];
    expect(metadataReads).toHaveLength(1);
    expect(script).toContain('-H "X-aws-ec2-metadata-token: $IMDS_TOKEN" "http://169.254.169.254/latest/meta-data/$1"');
    expect(script).toMatch(/^INSTANCE_ID=\$\(imds instance-id\)$/m);
    expect(script).toMatch(/^PRIVATE_IP=\$\(imds local-ipv4\)$/m);
  });

  it('fetches the TLS material and the licence from Secrets Manager by ARN at boot', () => {
    expect(script).toContain(`fetch_secret '${props.tls.certificateSecretArn}' /opt/vault/tls/vault-cert.pem`);
    expect(script).toContain(`fetch_secret '${props.tls.privateKeySecretArn}' /opt/vault/tls/vault-key.pem`);
    expect(script).toContain(`fetch_secret '${props.tls.caBundleSecretArn}' /opt/vault/tls/vault-ca.pem`);
    expect(script).toContain(`fetch_secret '${props.licenseSecretArn}' /etc/vault.d/vault.hclic`);
    expect(script).toContain('aws secretsmanager get-secret-value');
  });

  it('holds no secret value: no PEM block, no licence text, no credentials', () => {
    expect(script).not.toMatch(/-----BEGIN/);
    expect(script).not.toMatch(/AKIA[0-9A-Z]{16}/);
    expect(script).not.toMatch(/VAULT_TOKEN|aws_secret_access_key|X-Vault-Token/i);
  });

  it('has no `${` or `%{` of its own, which Terraform would read as interpolation', () => {
    expect(script).not.toContain('${');
    expect(script).not.toContain('%{');
  });

  it('puts the Raft data on the encrypted data volume and starts Vault as a service', () => {
    expect(script).toContain('mkfs.xfs -q "$DATA_DEVICE"');
    expect(script).toContain('ExecStart=/usr/bin/vault server -config=/etc/vault.d/vault.hcl');
    expect(script).toContain('systemctl enable --now vault');
  });

  it('writes a Vault configuration that parses as HCL, with node_id and api_addr from instance metadata', async () => {
    const hcl = await parse('vault.hcl', vaultConfigOf(script));
    expect(hcl.storage.raft[0].node_id).toBe('$INSTANCE_ID');
    expect(hcl.api_addr).toBe('https://$PRIVATE_IP:8200');
    expect(hcl.cluster_addr).toBe('https://$PRIVATE_IP:8201');
    expect(hcl.seal.awskms[0]).toEqual({ region: '$AWS_REGION', kms_key_id: input.sealKmsKeyId });
    expect(Object.keys(hcl).sort()).toEqual(
      ['api_addr', 'cluster_addr', 'cluster_name', 'disable_mlock', 'license_path', 'listener', 'seal', 'storage', 'telemetry', 'ui'],
    );
  });

  it('checks the CloudWatch agent is on the image, and starts it with the cluster\'s configuration after Vault', () => {
    expect(script).toContain('test -x /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl || {');
    const start = '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/vault.json';
    expect(script.indexOf(start)).toBeGreaterThan(script.indexOf('systemctl enable --now vault'));
  });

  it('writes the CloudWatch agent configuration: the audit log to the cluster\'s audit log group, Vault\'s statsd telemetry to its namespace', () => {
    const match = new RegExp(`<<'${CLOUDWATCH_AGENT_HEREDOC}'\\n([\\s\\S]*?)^${CLOUDWATCH_AGENT_HEREDOC}$`, 'm').exec(script);
    expect(match).not.toBeNull();
    expect(JSON.parse(match![1]!)).toEqual({
      agent: { omit_hostname: true },
      metrics: {
        namespace: 'Vault/vault-dev-primary',
        metrics_collected: { statsd: { service_address: '127.0.0.1:8125', metrics_collection_interval: 10, metrics_aggregation_interval: 60 } },
        aggregation_dimensions: [[]],
      },
      logs: {
        logs_collected: {
          files: { collect_list: [{ file_path: '/var/log/vault/audit.log', log_group_name: '/vault/vault-dev-primary/audit', log_stream_name: '{instance_id}' }] },
        },
      },
    });
  });

  it('gives the audit log a directory only Vault writes, and rotates it with a reload (Vault reopens the file on SIGHUP)', () => {
    expect(script).toContain('install -d -m 0750 -o vault -g vault /var/log/vault');
    expect(script).toMatch(/\/var\/log\/vault\/audit\.log \{[^}]*create 0600 vault vault[^}]*postrotate\n\s+systemctl reload vault/);
    expect(script).toContain('ExecReload=/bin/kill --signal HUP $MAINPID');
  });

  it('refuses a value with a quote rather than passing it to the shell', () => {
    expect(() => renderUserData({ ...input, licenseSecretArn: "arn:'x" })).toThrow(/cannot be passed to the boot script/);
  });
});

describe('VaultCluster launch template user data', () => {
  const { doc } = synth((scope) => new VaultCluster(scope, 'Primary', props));
  const template = single(doc, 'aws_launch_template').body;
  const key = byId(doc, 'aws_kms_key', 'SealKey').id;

  it('is base64-encoded by Terraform (the script references the seal key)', () => {
    expect(template.user_data).toMatch(/^\$\{base64encode\(".*"\)\}$/s);
  });

  it('decodes to exactly the rendered script, with the seal key ARN as a reference', async () => {
    const decoded = await scriptOf(template.user_data);
    expect(decoded).toBe(renderUserData({ ...input, sealKmsKeyId: ref('aws_kms_key', key, 'arn') }));
  });

  it('writes a Vault configuration whose seal is the cluster key', async () => {
    const hcl = await parse('vault.hcl', vaultConfigOf(await scriptOf(template.user_data)));
    expect(hcl.seal.awskms[0].kms_key_id).toBe(ref('aws_kms_key', key, 'arn'));
    expect(hcl.storage.raft[0].retry_join[0].auto_join).toContain('tag_key=VaultCluster tag_value=vault-dev-primary');
    expect(hcl.storage.raft[0].retry_join[0].leader_tls_servername).toBe('vault-dev-primary.example.com');
  });
});
