/** One bad configuration key and why it is refused. */
export interface ServiceConfigProblem {
  /** The key, e.g. `Settings:Sms:ApiUrl` or `PORT`. */
  key: string;
  /** Why it is refused; never contains a secret value. */
  message: string;
}

/** The configuration cannot be used. Lists every bad key at once; never contains a secret value. */
export class ServiceConfigError extends Error {
  constructor(
    readonly problems: ServiceConfigProblem[],
    /** Where the configuration was read from, for the first line of the message. */
    readonly sources: string[] = [],
  ) {
    const from =
      sources.length > 0 ? ` (read from ${sources.join(' and ')})` : '';
    super(
      `Invalid configuration${from}:\n${problems.map((p) => `- ${p.key}: ${p.message}`).join('\n')}`,
    );
    this.name = new.target.name;
  }
}
