/**
 * The environments this repository deploys, by the name used on the command line
 * (`npm run synth -- <name>`, `make synth ENV=<name>`) and in environments/pins.json.
 */
export const ENVIRONMENT_NAMES = ['dev', 'stage', 'prod'] as const;

export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

export function isEnvironmentName(name: string): name is EnvironmentName {
  return (ENVIRONMENT_NAMES as readonly string[]).includes(name);
}
