/**
 * The README's Vault Agent example is valid HCL and says what the "Clients" section claims: the
 * high-level name over TLS, AWS IAM auto-auth, a cache with a listener, retries, and fresh
 * connections for the low-rate subsystems.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

function clientsSection(): string {
  const start = README.indexOf('\n## Clients\n');
  const end = README.indexOf('\n## ', start + 1);
  expect(start).toBeGreaterThan(-1);
  return README.slice(start, end);
}

describe('README, Clients', () => {
  const section = clientsSection();

  it('gives a Vault Agent configuration that parses and follows the high-level name', async () => {
    const hcl = /```hcl\n([\s\S]*?)```/.exec(section)?.[1];
    expect(hcl).toBeDefined();
    const config = (await parse('agent.hcl', hcl!)) as Record<string, any>;
    expect(config.vault[0].address).toBe('https://vault-prod.example.com:8200');
    expect(config.vault[0].ca_cert).toBeDefined();
    expect(config.vault[0]).not.toHaveProperty('tls_skip_verify');
    expect(config.vault[0].retry[0].num_retries).toBe(12);
    expect(config.auto_auth[0].method.aws[0].config).toEqual(expect.objectContaining({ type: 'iam', header_value: 'vault-prod.example.com' }));
    expect(config.cache).toBeDefined();
    expect(config.listener.tcp[0].address).toMatch(/^127\.0\.0\.1:/);
    expect(config.template_config[0].exit_on_retry_failure).toBe(true);
    expect(config.disable_keep_alives).toEqual(['auto-auth', 'templating']);
  });

  it('cites a source for the TTL, the resolver caches and each failover behaviour', () => {
    for (const source of [
      'resource-record-sets-values-weighted.html',
      'java-networking.html',
      'nodejs.org/api/dns.html',
      'concepts/ha#request-forwarding',
      'enterprise/replication#replicated-data',
      'replication/performance/manage',
      'agent-and-proxy/agent#retry-stanza',
    ]) {
      expect(section).toContain(source);
    }
  });
});
