import { InputError } from '../../../functions/shared/errors';
import { parseClusters, readHttpBounds, readVaultSettings } from '../../../functions/shared/vault-config';

const good = [
  { name: 'east', address: 'https://vault-east.example.com:8200' },
  { name: 'west', address: 'https://vault-west.example.com:8200/' },
];

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).field;
  }
  throw new Error('expected an InputError');
}

describe('VAULT_CLUSTERS', () => {
  it('parses two clusters and normalises their addresses to origins', () => {
    expect(parseClusters(JSON.stringify(good))).toEqual([
      { name: 'east', address: 'https://vault-east.example.com:8200' },
      { name: 'west', address: 'https://vault-west.example.com:8200' },
    ]);
  });

  it.each([
    ['not JSON', '{', 'VAULT_CLUSTERS'],
    ['one cluster', JSON.stringify([good[0]]), 'VAULT_CLUSTERS'],
    ['a nameless cluster', JSON.stringify([{ address: 'https://a:8200' }, good[1]]), 'VAULT_CLUSTERS[0].name'],
    ['plain http', JSON.stringify([good[0], { name: 'west', address: 'http://vault-west:8200' }]), 'VAULT_CLUSTERS[1].address'],
    ['the same name twice', JSON.stringify([good[0], { ...good[1], name: 'east' }]), 'VAULT_CLUSTERS[1].name'],
  ])('refuses %s, naming the field', (_what, raw, field) => {
    expect(fieldOf(() => parseClusters(raw))).toBe(field);
  });
});

describe('network bounds', () => {
  it('defaults to a 1 s connect timeout, a 2.5 s total and two attempts', () => {
    expect(readHttpBounds({})).toEqual({ connectTimeoutMs: 1000, requestTimeoutMs: 2500, maxAttempts: 2 });
  });

  it('names the variable of a bad value', () => {
    expect(fieldOf(() => readHttpBounds({ VAULT_MAX_ATTEMPTS: '0' }))).toBe('VAULT_MAX_ATTEMPTS');
    expect(fieldOf(() => readHttpBounds({ VAULT_CONNECT_TIMEOUT_MS: 'soon' }))).toBe('VAULT_CONNECT_TIMEOUT_MS');
  });

  it('names VAULT_CA_FILE when the bundle cannot be read', () => {
    expect(fieldOf(() => readVaultSettings({ VAULT_CLUSTERS: JSON.stringify(good), VAULT_CA_FILE: '/nonexistent/ca.pem' }))).toBe('VAULT_CA_FILE');
  });
});
