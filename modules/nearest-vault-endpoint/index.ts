export { NearestVaultEndpoint, type NearestVaultEndpointProps, type NearestVaultTarget } from './nearest-vault-endpoint';
export { NEAREST_VAULT_ENDPOINT_DEFAULTS, NEAREST_VAULT_ENDPOINT_RECORD_TYPE } from './defaults';
