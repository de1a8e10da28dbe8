import { Construct } from 'constructs';
import type { TerraformProvider } from '../internal/cdktf';
import { VaultAudit } from '../internal/vault';
import { PropsValidation, providerKey } from '../shared/validation';
import { VAULT_NODE_PATHS } from './defaults';

/** Props of VaultAuditLog. */
export interface VaultAuditLogProps {
  /**
   * Path the audit device is enabled at (`sys/audit/<path>`).
   * @default 'file'
   */
  readonly path?: string;
  /**
   * The Vault provider of the cluster (root namespace): the primary, through the high-level name.
   * @default - the scope's default Vault provider
   */
  readonly provider?: TerraformProvider;
}

/** Every default of VaultAuditLog. */
export const VAULT_AUDIT_LOG_DEFAULTS = Object.freeze({ path: 'file' });

/**
 * Vault's file audit device, writing where VaultCluster's nodes expect it
 * (`/var/log/vault/audit.log`, mode 0600): each node's CloudWatch agent ships the file to the
 * cluster's encrypted audit log group, and the cluster's audit failure alarm watches Vault's own
 * failure counters.
 *
 * One resource covers both clusters: the device is not `local`, so DR replication carries it to the
 * DR secondary, whose nodes write their own file (Vault audit docs: "local: Specifies if the audit
 * device is a local only. Local audit devices are not replicated nor (if a secondary) removed by
 * replication").
 * https://developer.hashicorp.com/vault/docs/audit/file
 * https://developer.hashicorp.com/vault/api-docs/system/audit#local
 */
export class VaultAuditLog extends Construct {
  /** Path of the audit device. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: VaultAuditLogProps = {}) {
    super(scope, id);
    const path = props.path ?? VAULT_AUDIT_LOG_DEFAULTS.path;
    const v = new PropsValidation(this, 'VaultAuditLog');
    if (v.check('path', path, (p) => (typeof p === 'string' && /^[A-Za-z0-9_-]+$/.test(p) ? undefined : `must be letters, digits, "-" and "_" (got "${p}")`))) {
      v.claimName(`Vault audit device (Vault provider ${providerKey(props.provider)})`, path, 'path', 'one Vault has one audit device per path; give this one another path');
    }
    v.throwIfInvalid();
    new VaultAudit(this, 'Device', {
      provider: props.provider,
      type: 'file',
      path,
      local: false,
      description: 'File audit log, shipped by each node\'s CloudWatch agent to the cluster\'s encrypted log group',
      options: { file_path: VAULT_NODE_PATHS.auditLogFile, mode: '0600', format: 'json' },
    });
    this.path = path;
  }
}
