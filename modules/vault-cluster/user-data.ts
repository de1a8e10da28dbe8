import { renderCloudWatchAgentConfig } from './cloudwatch-agent';
import { VAULT_API_PORT, VAULT_NODE_PATHS } from './defaults';
import type { VaultTlsSecrets } from './types';
import { renderVaultConfig } from './vault-config';

/** What the boot script of a node depends on. */
export interface UserDataInput {
  readonly clusterName: string;
  readonly sealKmsKeyId: string;
  readonly tlsServerName: string;
  readonly tls: VaultTlsSecrets;
  readonly licenseSecretArn: string;
}

/** Heredoc delimiter around the Vault configuration (the tests cut the HCL out at it). */
export const VAULT_CONFIG_HEREDOC = 'VAULT_HCL';
/** Heredoc delimiter around the CloudWatch agent's configuration. */
export const CLOUDWATCH_AGENT_HEREDOC = 'CWAGENT_JSON';

/**
 * Single-quotes a value for bash. Refuses a quote rather than escaping it: every value here is
 * an ARN or a name, so a quote means a wrong prop.
 */
function shellWord(value: string): string {
  if (/['\n]/.test(value)) {
    throw new Error(`Vault user data: ${JSON.stringify(value)} cannot be passed to the boot script (quote or newline).`);
  }
  return `'${value}'`;
}

/**
 * The boot script of a node. Pure and deterministic. Terraform reads `${` in any string as an
 * interpolation, so the script uses `$VAR`, never `${VAR}`; the only `${` in the result are the
 * Terraform tokens of the inputs (the seal key ARN).
 *
 * No secret value is in it: the TLS material and the licence are fetched from Secrets Manager
 * by ARN at boot, with the node role.
 */
export function renderUserData(input: UserDataInput): string {
  const p = VAULT_NODE_PATHS;
  const config = renderVaultConfig({
    clusterName: input.clusterName,
    sealKmsKeyId: input.sealKmsKeyId,
    tlsServerName: input.tlsServerName,
    node: { id: '$INSTANCE_ID', privateIp: '$PRIVATE_IP', region: '$AWS_REGION' },
  });
  return `#!/bin/bash
# Vault node bootstrap, written by the VaultCluster construct (@vault-dr/cdktf). Holds secret ARNs only, never values.
set -euo pipefail
umask 027

# IMDSv2: the launch template requires session tokens (hop limit 1).
IMDS_TOKEN=$(curl -sSf --retry 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token)
imds() { curl -sSf --retry 5 -H "X-aws-ec2-metadata-token: $IMDS_TOKEN" "http://169.254.169.254/latest/meta-data/$1"; }
INSTANCE_ID=$(imds instance-id)
PRIVATE_IP=$(imds local-ipv4)
AWS_REGION=$(imds placement/region)
export AWS_REGION

test -x ${p.binary} || { echo "the AMI has no Vault binary at ${p.binary}" >&2; exit 1; }
test -x ${p.cloudWatchAgentCtl} || { echo "the AMI has no CloudWatch agent at ${p.cloudWatchAgentCtl}" >&2; exit 1; }
id vault >/dev/null 2>&1 || useradd --system --home-dir ${p.configDir} --shell /sbin/nologin vault
# Vault runs with disable_mlock (Raft memory-maps its database): keep memory out of swap instead.
swapoff -a

# Raft data lives on its own encrypted gp3 volume, formatted on first boot.
DATA_DEVICE=""
for _ in $(seq 1 60); do
  for link in ${p.dataDevice} /dev/xvdf; do
    if [ -b "$link" ]; then DATA_DEVICE=$(readlink -f "$link"); break 2; fi
  done
  sleep 2
done
[ -n "$DATA_DEVICE" ] || { echo "the data volume ${p.dataDevice} never appeared" >&2; exit 1; }
blkid "$DATA_DEVICE" >/dev/null || mkfs.xfs -q "$DATA_DEVICE"
install -d -m 0750 ${p.dataDir}
grep -q " ${p.dataDir} " /etc/fstab || echo "UUID=$(blkid -s UUID -o value "$DATA_DEVICE") ${p.dataDir} xfs defaults,nofail 0 2" >> /etc/fstab
mountpoint -q ${p.dataDir} || mount ${p.dataDir}
install -d -m 0750 -o vault -g vault ${p.dataDir} ${p.tlsDir} ${p.configDir}

# TLS material and licence: read by ARN (its region is the ARN's fourth field), readable by vault only.
fetch_secret() {
  aws secretsmanager get-secret-value --region "$(echo "$1" | cut -d: -f4)" --secret-id "$1" \\
    --query SecretString --output text > "$2"
  chown vault:vault "$2"
  chmod 0600 "$2"
}
fetch_secret ${shellWord(input.tls.certificateSecretArn)} ${p.tlsCertFile}
fetch_secret ${shellWord(input.tls.privateKeySecretArn)} ${p.tlsKeyFile}
fetch_secret ${shellWord(input.tls.caBundleSecretArn)} ${p.tlsCaFile}
fetch_secret ${shellWord(input.licenseSecretArn)} ${p.licenseFile}

cat > ${p.configFile} <<${VAULT_CONFIG_HEREDOC}
${config}${VAULT_CONFIG_HEREDOC}
chown vault:vault ${p.configFile}
chmod 0640 ${p.configFile}

# Audit log of the file audit device (VaultAuditDevice). logrotate rotates it; Vault reopens the
# file on SIGHUP (its unit's reload).
install -d -m 0750 -o vault -g vault ${p.auditDir}
cat > /etc/logrotate.d/vault-audit <<'LOGROTATE'
${p.auditLogFile} {
  daily
  rotate 7
  missingok
  notifempty
  compress
  delaycompress
  create 0600 vault vault
  postrotate
    systemctl reload vault >/dev/null 2>&1 || true
  endscript
}
LOGROTATE

# The CloudWatch agent ships the audit log to the cluster's encrypted log group and publishes
# Vault's telemetry (the audit failure alarm's metrics).
cat > ${p.cloudWatchAgentConfig} <<'${CLOUDWATCH_AGENT_HEREDOC}'
${renderCloudWatchAgentConfig(input.clusterName)}${CLOUDWATCH_AGENT_HEREDOC}

cat > /etc/systemd/system/vault.service <<'VAULT_UNIT'
[Unit]
Description=HashiCorp Vault Enterprise
Requires=network-online.target
After=network-online.target
ConditionFileNotEmpty=${p.configFile}

[Service]
User=vault
Group=vault
ProtectSystem=full
ProtectHome=read-only
PrivateTmp=yes
PrivateDevices=yes
NoNewPrivileges=yes
AmbientCapabilities=CAP_IPC_LOCK
CapabilityBoundingSet=CAP_SYSLOG CAP_IPC_LOCK
ExecStart=${p.binary} server -config=${p.configFile}
ExecReload=/bin/kill --signal HUP $MAINPID
KillMode=process
KillSignal=SIGINT
Restart=on-failure
RestartSec=5
TimeoutStopSec=30
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
VAULT_UNIT

# Operators (Session Manager) talk to the local node with the cluster's CA and TLS name.
cat > /etc/profile.d/vault.sh <<'VAULT_ENV'
export VAULT_ADDR=https://127.0.0.1:${VAULT_API_PORT}
export VAULT_CACERT=${p.tlsCaFile}
export VAULT_TLS_SERVER_NAME=${shellWord(input.tlsServerName)}
VAULT_ENV

systemctl daemon-reload
systemctl enable --now vault
${p.cloudWatchAgentCtl} -a fetch-config -m ec2 -s -c file:${p.cloudWatchAgentConfig}
`;
}
