/** Every secret the simulator hands out, in issue order, for the log-leak test. */
export class SecretLog {
  private readonly issued: string[] = [];

  add(secret: string): string {
    this.issued.push(secret);
    return secret;
  }

  all(): string[] {
    return [...this.issued];
  }
}
