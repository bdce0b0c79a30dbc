/** A body field a provider endpoint refuses; the message names the field and the reason. */
export class SandboxFieldError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'SandboxFieldError';
  }
}

/** A request body larger than the sandbox accepts. */
export class SandboxBodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes.`);
    this.name = 'SandboxBodyTooLargeError';
  }
}

/** Runs a body reader, returning the field error it throws instead of throwing it. */
export function readOrFieldError<T>(read: () => T): T | SandboxFieldError {
  try {
    return read();
  } catch (error) {
    if (error instanceof SandboxFieldError) return error;
    throw error;
  }
}
