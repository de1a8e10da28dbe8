/**
 * The activation tokens of one replication kind (DR or performance): a primary issues one per
 * secondary id (secondary-token), a secondary redeems it once (secondary enable, update-primary),
 * and the primary forgets an id on revoke-secondary. Both kinds check a token the same way
 * (README.md, "Token formats" and the DR and performance sections); what differs, where a primary
 * keeps its known secondaries and which messages name the kind, comes from the kind's
 * `SecondaryRoster`. Each kind has its own instance: a DR token does not activate a performance
 * secondary, nor the other way round.
 */
import type { ClusterCore } from './cluster';
import type { WorldContext } from './context';
import { badRequest } from './envelope';
import { tokenFormats } from './token-formats';

export interface ActivationToken {
  readonly token: string;
  /** Name of the primary that issued it. */
  readonly issuer: string;
  readonly secondaryId: string;
  readonly expiresAt: number;
  readonly publicKey: string | undefined;
  used: boolean;
}

/** How one replication kind keeps a primary's known secondaries, and what it calls itself. */
export interface SecondaryRoster {
  /** 'DR' or 'performance', as the bootstrap error names the primary. */
  readonly kind: string;
  /** The 400 of a primary-only endpoint on any other cluster. */
  readonly notPrimary: string;
  /** The secondary ids `cluster` knows as a primary of this kind; undefined when it is not one. */
  knownSecondaries(cluster: ClusterCore): readonly string[] | undefined;
  setKnownSecondaries(primary: ClusterCore, ids: readonly string[]): void;
  /** Whether `primary` answers as a primary of this kind on the replication network, as `secondary` reaches it. */
  answersAsPrimary(primary: ClusterCore, secondary: ClusterCore): boolean;
  /** The key this kind's generate-public-key gave `cluster`. */
  publicKey(cluster: ClusterCore): string | undefined;
}

export class ActivationTokens {
  private readonly tokens = new Map<string, ActivationToken>();

  constructor(
    private readonly world: WorldContext,
    private readonly roster: SecondaryRoster,
  ) {}

  private known(primary: ClusterCore): readonly string[] {
    const known = this.roster.knownSecondaries(primary);
    if (known === undefined) throw badRequest(this.roster.notPrimary);
    return known;
  }

  issue(primary: ClusterCore, request: { id: string; ttlSeconds: number; publicKey: string | undefined }): ActivationToken {
    if (this.known(primary).includes(request.id)) {
      throw badRequest(`a secondary with the id "${request.id}" already exists; revoke it or choose another id`);
    }
    const activation: ActivationToken = {
      token: this.world.secrets.add(
        tokenFormats().wrappingJwt({ addr: primary.address, nowMs: this.world.clock.now(), ttlSeconds: request.ttlSeconds }, this.world.secrets),
      ),
      issuer: primary.name,
      secondaryId: request.id,
      expiresAt: this.world.clock.now() + request.ttlSeconds * 1000,
      publicKey: request.publicKey,
      used: false,
    };
    this.tokens.set(activation.token, activation);
    return activation;
  }

  revoke(primary: ClusterCore, id: string): void {
    const known = this.known(primary);
    if (!known.includes(id)) throw badRequest(`no known secondary with the id "${id}"`);
    this.roster.setKnownSecondaries(primary, known.filter((other) => other !== id));
    this.world.changed();
  }

  /** Checks an activation token for `cluster` and marks it used; throws 400 as Vault's bootstrap does. */
  redeem(cluster: ClusterCore, token: string): { activation: ActivationToken; primary: ClusterCore } {
    const activation = this.tokens.get(token);
    if (activation === undefined) throw badRequest('invalid activation token: wrapping token is not valid or does not exist');
    if (activation.used) throw badRequest('invalid activation token: the token has already been used');
    if (activation.expiresAt <= this.world.clock.now()) throw badRequest('invalid activation token: the token has expired');
    if (activation.publicKey !== undefined && activation.publicKey !== this.roster.publicKey(cluster)) {
      throw badRequest(
        'error decrypting activation token: it was encrypted for a different secondary public key (run generate-public-key on this cluster)',
      );
    }
    const primary = this.world.cluster(activation.issuer);
    if (!this.roster.answersAsPrimary(primary, cluster)) {
      throw badRequest(
        `error fetching secondary bootstrap package: the primary that issued the activation token (${primary.address}) does not answer as a ${this.roster.kind} primary on the replication network`,
      );
    }
    if (primary.newerThan(cluster) && this.world.behaviour.newerPrimary === 'refused') {
      throw badRequest(
        `error fetching secondary bootstrap package: the primary runs Vault ${primary.version()}, newer than this cluster's ${cluster.version()}; replicating from a newer version to an older one is not supported (upgrade this cluster first)`,
      );
    }
    const known = this.known(primary);
    if (known.includes(activation.secondaryId)) {
      throw badRequest(`a secondary with the id "${activation.secondaryId}" already exists on the primary`);
    }
    activation.used = true;
    this.roster.setKnownSecondaries(primary, [...known, activation.secondaryId]);
    return { activation, primary };
  }
}
