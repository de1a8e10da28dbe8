/** The two configured clusters, one HTTPS client for both, and probing them. */
import { probeCluster, type ClusterView } from './cluster-probe';
import type { Deadline } from './deadline';
import type { ClusterRef } from './settings/clusters';
import type { HttpBounds } from './settings/common';
import { VaultApi } from './vault-api';
import { VaultHttpClient } from './vault-http';

export class VaultClusters {
  private readonly http: VaultHttpClient;

  constructor(
    readonly refs: readonly [ClusterRef, ClusterRef],
    bounds: HttpBounds,
    caPem: string | undefined,
    readonly deadline: Deadline,
  ) {
    this.http = new VaultHttpClient(bounds, caPem, deadline);
  }

  api(cluster: ClusterRef): VaultApi {
    return new VaultApi(this.http, cluster.address);
  }

  ref(name: string): ClusterRef | undefined {
    return this.refs.find((c) => c.name === name);
  }

  /** Both clusters in parallel: a dead cluster costs one probe timeout, not one per cluster. */
  async probe(): Promise<[ClusterView, ClusterView]> {
    const [a, b] = this.refs;
    return Promise.all([probeCluster(a, this.api(a)), probeCluster(b, this.api(b))]);
  }

  async probeOne(cluster: ClusterRef): Promise<ClusterView> {
    return probeCluster(cluster, this.api(cluster));
  }

  /** One attempt on new connections: the load balancer draws a node afresh. */
  async probeFresh(cluster: ClusterRef): Promise<ClusterView> {
    return probeCluster(cluster, this.api(cluster), true);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
