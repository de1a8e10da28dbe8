/**
 * Thrown when a construct is given a prop it cannot build from. The message always starts with the
 * construct and the prop (`DrAutomation prop "refreshIntervalMinutes": ...`) so that the first
 * line of a failed synth tells the user which value to change.
 */
export class PropsValidationError extends Error {
  constructor(
    readonly constructName: string,
    readonly prop: string,
    problem: string,
  ) {
    super(`${constructName} prop "${prop}": ${problem}`);
    this.name = 'PropsValidationError';
  }
}
