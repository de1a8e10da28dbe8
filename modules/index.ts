/**
 * Public API of @vault-dr/cdktf. Everything else in this package is internal and may change in any
 * release.
 */
export { DrAutomation } from './dr-automation/dr-automation';
export {
  DR_FUNCTION_NAMES,
  type DrAutomationProps,
  type DrFunctionAttributes,
  type DrFunctionName,
  type DrVaultObjectNames,
  type VpcPlacement,
} from './dr-automation/dr-automation-props';
export { DR_AUTOMATION_DEFAULTS } from './dr-automation/defaults';
export { WeightedVaultEndpoint, type WeightedVaultEndpointProps } from './weighted-vault-endpoint/weighted-vault-endpoint';
export { WEIGHTED_VAULT_ENDPOINT_DEFAULTS } from './weighted-vault-endpoint/defaults';
export type { VaultClusterEndpoint, VaultClusterPair } from './shared/vault-cluster-endpoint';
export { PropsValidationError } from './shared/props-validation-error';
