/** The two configured clusters, one HTTPS client for both, and probing them together. */
import { probeCluster, type ClusterView } from './cluster-probe';
import { VaultApi } from './vault-api';
import type { ClusterRef, VaultSettings } from './vault-config';
import { VaultHttpClient } from './vault-http';

export class VaultClusters {
  private readonly http: VaultHttpClient;
  readonly refs: readonly [ClusterRef, ClusterRef];

  constructor(settings: VaultSettings) {
    this.http = new VaultHttpClient(settings.http, settings.caPem);
    this.refs = settings.clusters;
  }

  api(cluster: ClusterRef): VaultApi {
    return new VaultApi(this.http, cluster.address);
  }

  /** Both clusters in parallel: a dead cluster costs one probe timeout, not one per cluster. */
  async probe(): Promise<[ClusterView, ClusterView]> {
    const [a, b] = this.refs;
    return Promise.all([probeCluster(a, this.api(a)), probeCluster(b, this.api(b))]);
  }

  async probeOne(cluster: ClusterRef): Promise<ClusterView> {
    return probeCluster(cluster, this.api(cluster));
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
