import type { IConstruct } from 'constructs';
import { TerraformProvider, TerraformStack, Token } from '../internal/cdktf';
import { PropsValidationError, type PropsProblem } from './props-validation-error';
import type { Rule } from './rules';

/**
 * The one props-validation helper of every construct in this package. A construct creates one at
 * the top of its constructor, checks each prop with the shared rules (modules/shared/rules.ts) and
 * its own, and calls `throwIfInvalid()` before it creates anything: the user then gets every
 * problem at once, each with the construct's path and the prop, instead of one per synth.
 *
 * ```ts
 * const v = new PropsValidation(this, 'VaultCluster');
 * v.check('environment', props.environment, rules.environment);
 * v.each('subnets', props.subnets.map((s) => s.subnetId), rules.subnetId, 'subnetId');
 * v.throwIfInvalid();
 * ```
 */
export class PropsValidation {
  private readonly problems: PropsProblem[] = [];

  constructor(
    private readonly construct: IConstruct,
    private readonly constructName: string,
  ) {}

  /** Records a problem with a prop. */
  report(prop: string, problem: string): void {
    this.problems.push({ prop, problem });
  }

  /** Checks a required prop with each rule in turn (the first problem is recorded); true when it passed. */
  check(prop: string, value: unknown, ...rules: Rule[]): boolean {
    for (const rule of rules) {
      const problem = rule(value);
      if (problem !== undefined) {
        this.report(prop, problem);
        return false;
      }
    }
    return true;
  }

  /** Like `check`, for a prop that may be left out. */
  optional(prop: string, value: unknown, ...rules: Rule[]): boolean {
    return value === undefined || this.check(prop, value, ...rules);
  }

  /**
   * Checks every element of a list prop, each as `prop[i]` (or `prop[i].field` with `field`). A list
   * that is a Terraform reference passes: its length is not known at synth.
   */
  each(prop: string, values: unknown, rule: Rule, field?: string): boolean {
    if (values === undefined || !known(values)) return true;
    if (!Array.isArray(values)) {
      this.report(prop, `must be a list (got ${JSON.stringify(values)})`);
      return false;
    }
    let ok = true;
    values.forEach((value, i) => {
      ok = this.check(`${prop}[${i}]${field === undefined ? '' : `.${field}`}`, value, rule) && ok;
    });
    return ok;
  }

  /** Whether a problem was recorded for this prop or one inside it (`clusters` covers `clusters.dr.name`). */
  failed(prop?: string): boolean {
    if (prop === undefined) return this.problems.length > 0;
    return this.problems.some((p) => p.prop === prop || p.prop.startsWith(`${prop}.`) || p.prop.startsWith(`${prop}[`));
  }

  /**
   * Claims a name in the construct's stack. Two constructs of one stack that would create resources
   * of the same name (two clusters with one environment and clusterName) collide at apply time, or
   * worse, one takes over the other's; the second claim is refused here instead, naming the first.
   *
   * @param kind what the name names (`DrAutomation names`); claims of different kinds never collide
   * @param name the name that must be unique in the stack
   * @param prop the prop to change, and `fix` how
   */
  claimName(kind: string, name: string, prop: string, fix: string): void {
    const claims = claimsOf(this.construct);
    const key = `${kind}\u0000${name}`;
    const owner = claims.get(key);
    if (owner !== undefined && owner !== this.construct.node.path) {
      this.report(prop, `gives the ${kind} "${name}", which ${owner} in this stack already has: ${fix}`);
      return;
    }
    claims.set(key, this.construct.node.path);
  }

  /** Throws one PropsValidationError with every problem recorded, if there is any. */
  throwIfInvalid(): void {
    if (this.problems.length > 0) throw new PropsValidationError(this.constructName, [...this.problems], this.construct.node.path);
  }
}

function known(value: unknown): boolean {
  return !Token.isUnresolved(value);
}

const CLAIMS = new WeakMap<IConstruct, Map<string, string>>();

function claimsOf(construct: IConstruct): Map<string, string> {
  const scope = stackOf(construct);
  let claims = CLAIMS.get(scope);
  if (claims === undefined) {
    claims = new Map();
    CLAIMS.set(scope, claims);
  }
  return claims;
}

function stackOf(construct: IConstruct): IConstruct {
  try {
    return TerraformStack.of(construct);
  } catch {
    return construct.node.root;
  }
}

/**
 * The region of an AWS provider, when it is written in the stack as a plain string: the provider
 * given, else the stack's default (unaliased) AWS provider. Undefined when it is unknown at synth
 * (taken from the environment at plan time, or a Terraform reference): the checks that need it are
 * then skipped.
 */
export function awsProviderRegion(scope: IConstruct, provider?: TerraformProvider): string | undefined {
  const chosen = provider ?? defaultProvider(scope, 'aws');
  const region = (chosen as { region?: unknown } | undefined)?.region;
  return typeof region === 'string' && region.length > 0 && known(region) ? region : undefined;
}

/** The stack's default provider of a type (the one without an alias), if it declares one. */
function defaultProvider(scope: IConstruct, type: string): TerraformProvider | undefined {
  return stackOf(scope)
    .node.findAll()
    .find((c): c is TerraformProvider => TerraformProvider.isTerraformProvider(c) && c.terraformResourceType === type && c.alias === undefined);
}

/** Which provider (and so which Vault, or which region) a construct writes with: `default` or the aliased provider's path. */
export function providerKey(provider: TerraformProvider | undefined): string {
  return provider === undefined || provider.alias === undefined ? 'default' : provider.node.path;
}
