/** The store's configuration is wrong; start-up stops with this. Never contains a secret value. */
export class StoreConfigurationError extends Error {
  constructor(
    /** The configuration key, e.g. `Settings:Security:EncryptionKey`. */
    readonly key: string,
    reason: string,
  ) {
    super(`${key}: ${reason}`);
    this.name = new.target.name;
  }
}

/** Stored settings could not be decrypted: the key that wrote them is missing, or it is wrong. */
export class SettingsDecryptionError extends Error {
  constructor(
    readonly environment: string,
    readonly keyId: string,
    reason: 'unknown-key' | 'authentication-failed' | 'malformed',
    options?: { cause?: unknown },
  ) {
    super(decryptionMessage(environment, keyId, reason), options);
    this.name = new.target.name;
  }
}

function decryptionMessage(
  environment: string,
  keyId: string,
  reason: 'unknown-key' | 'authentication-failed' | 'malformed',
): string {
  const subject = `The stored SMS settings of environment "${environment}"`;
  switch (reason) {
    case 'unknown-key':
      return `${subject} were encrypted with key ${keyId}, which is not configured. Set Settings:Security:EncryptionKey to that key, or add it to Settings:Security:PreviousEncryptionKeys.`;
    case 'authentication-failed':
      return `${subject} could not be decrypted with key ${keyId}: the key is not the one that encrypted them, or the stored data was altered.`;
    case 'malformed':
      return `${subject} are malformed and cannot be read; set them again with PUT /environments/${environment}/sms.`;
  }
}
