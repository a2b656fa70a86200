/**
 * A problem with what the user typed or asked for. The command's transaction is
 * rolled back and the message is shown to the user as it is, so write it for a
 * volunteer: short, plain, and with an example of what to type instead.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Bad configuration at start-up; the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
