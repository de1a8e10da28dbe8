/**
 * A credential held so that it cannot be printed by accident: JSON, string conversion and Node's
 * inspector all show `[secret]`. The value comes out only through `reveal()`, which the Vault
 * client calls when it builds a request, and the token store when it writes the secret.
 */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '[secret]';
  }

  toString(): string {
    return '[secret]';
  }

  [INSPECT](): string {
    return '[secret]';
  }
}
