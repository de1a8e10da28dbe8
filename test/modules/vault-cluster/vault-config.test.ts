import { parseHcl as parse } from '../../../modules/internal/testing';
import { renderVaultConfig } from '../../../modules/vault-cluster/vault-config';

const input = {
  clusterName: 'vault-dev-primary',
  sealKmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  tlsServerName: 'vault-dev-primary.example.com',
  node: { id: 'i-0abc', privateIp: '10.0.1.10', region: 'us-east-1' },
};

describe('renderVaultConfig', () => {
  let hcl: Record<string, any>;
  beforeAll(async () => {
    hcl = await parse('vault.hcl', renderVaultConfig(input));
  });

  it('is deterministic', () => {
    expect(renderVaultConfig(input)).toBe(renderVaultConfig({ ...input, node: { ...input.node } }));
  });

  it('names the cluster and takes api_addr and cluster_addr from the node address', () => {
    expect(hcl.cluster_name).toBe('vault-dev-primary');
    expect(hcl.api_addr).toBe('https://10.0.1.10:8200');
    expect(hcl.cluster_addr).toBe('https://10.0.1.10:8201');
    expect(hcl.ui).toBe(true);
  });

  it('reads the Enterprise licence from a file (written at boot from Secrets Manager)', () => {
    expect(hcl.license_path).toBe('/etc/vault.d/vault.hclic');
  });

  it('uses raft storage with the instance id as node_id', () => {
    const [raft] = hcl.storage.raft;
    expect(raft.path).toBe('/opt/vault/data');
    expect(raft.node_id).toBe('i-0abc');
    expect(hcl.disable_mlock).toBe(true);
  });

  it('joins peers through AWS auto_join on the cluster tag, verifying the leader certificate', () => {
    const [join] = hcl.storage.raft[0].retry_join;
    expect(join).toEqual({
      auto_join: 'provider=aws region=us-east-1 tag_key=VaultCluster tag_value=vault-dev-primary addr_type=private_v4',
      auto_join_scheme: 'https',
      auto_join_port: 8200,
      leader_tls_servername: 'vault-dev-primary.example.com',
      leader_ca_cert_file: '/opt/vault/tls/vault-ca.pem',
    });
  });

  it('serves TLS on 8200 and the cluster port on 8201 with the files fetched at boot', () => {
    const [listener] = hcl.listener.tcp;
    expect(listener).toEqual(
      expect.objectContaining({
        address: '0.0.0.0:8200',
        cluster_address: '0.0.0.0:8201',
        tls_cert_file: '/opt/vault/tls/vault-cert.pem',
        tls_key_file: '/opt/vault/tls/vault-key.pem',
        tls_client_ca_file: '/opt/vault/tls/vault-ca.pem',
        tls_min_version: 'tls12',
      }),
    );
    expect(listener.tls_disable).toBeUndefined();
    expect(listener.telemetry).toEqual([{ unauthenticated_metrics_access: false }]);
  });

  it('auto-unseals with the cluster KMS key', () => {
    expect(hcl.seal.awskms).toEqual([{ region: 'us-east-1', kms_key_id: input.sealKmsKeyId }]);
  });

  it('exposes telemetry for Prometheus, and sends it to the node\'s CloudWatch agent (statsd) for the audit failure alarm', () => {
    expect(hcl.telemetry).toEqual([{ prometheus_retention_time: '24h', disable_hostname: true, statsd_address: '127.0.0.1:8125' }]);
  });

  it('refuses a value that would break out of an HCL string', () => {
    expect(() => renderVaultConfig({ ...input, tlsServerName: 'a"b' })).toThrow(/cannot be written in an HCL string/);
  });
});
