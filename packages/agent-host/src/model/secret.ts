const REDACTED = '[redacted]';

/**
 * An API key that cannot leak by accident: printing, string-interpolating, JSON-serializing or
 * `util.inspect`-ing it shows `[redacted]`. Only `reveal()` gives the value, at the adapter boundary.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Secret(${REDACTED})`;
  }
}
