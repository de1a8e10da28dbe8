/** One prop a construct cannot build from, and why (the sentence says the fix). */
export interface PropsProblem {
  /** The prop, as the caller wrote it: `clusters.dr.address`, `vpcPlacement.subnetIds[1]`. */
  readonly prop: string;
  readonly problem: string;
}

/**
 * Thrown when a construct is given props it cannot build from, before anything is created. It
 * carries every problem the construct found, not only the first, and the construct's path in the
 * tree (`this.node.path`), so that a stack with two clusters says which one is wrong.
 *
 * Each line of the message is one problem, `[<construct path>] <Construct> prop "<prop>": <problem>`
 * (the shape of cdktf's own validation errors), so the first line of a failed synth already names
 * the instance, the prop and the fix.
 */
export class PropsValidationError extends Error {
  /** Every problem found, in the order the props were checked. */
  readonly problems: readonly PropsProblem[];
  /** `this.node.path` of the construct, when it is one. */
  readonly constructPath: string | undefined;

  /** Every problem a construct found (`PropsValidation` builds these). */
  constructor(constructName: string, problems: readonly PropsProblem[], constructPath?: string);
  /** One problem of something that is not a construct (a stack's own props). */
  constructor(constructName: string, prop: string, problem: string);
  constructor(
    readonly constructName: string,
    problemsOrProp: readonly PropsProblem[] | string,
    pathOrProblem?: string,
  ) {
    const single = typeof problemsOrProp === 'string';
    const problems: readonly PropsProblem[] = single ? [{ prop: problemsOrProp, problem: pathOrProblem ?? '' }] : problemsOrProp;
    const constructPath = single ? undefined : pathOrProblem;
    if (problems.length === 0) throw new Error('PropsValidationError needs at least one problem');
    const where = constructPath === undefined ? '' : `[${constructPath}] `;
    super(problems.map((p) => `${where}${constructName} prop "${p.prop}": ${p.problem}`).join('\n'));
    this.name = 'PropsValidationError';
    this.problems = problems;
    this.constructPath = constructPath;
  }

  /** The prop of the first problem. */
  get prop(): string {
    return this.problems[0]!.prop;
  }
}
