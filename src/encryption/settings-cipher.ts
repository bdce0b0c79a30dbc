import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SmsQueryParameter, SmsSettings } from '@app/sms';
import type {
  EncryptionKey,
  EncryptionKeyRing,
} from './encryption-key.ring.js';
import { SettingsDecryptionError } from '../database/store.errors.js';

/** Settings as they are stored: the non-secret fields in clear, the secret ones encrypted. */
export interface SealedSettings {
  /** JSON of the settings without their secret values. */
  settings: string;
  /** `v1.` and base64 of IV, AES-256-GCM ciphertext of the secret values, and tag. */
  secrets: string;
  /** Id of the key that encrypted `secrets`. */
  keyId: string;
}

/** The secret values of one settings object, keyed by where they go back. */
interface SecretValues {
  clientSecret?: string;
  certificatePemKey?: string;
  /**
   * Access URL parameter values by parameter index: every value, since the text beside a
   * placeholder may be a secret too. Records written before that hold the fixed values only.
   */
  parameterValues?: Record<string, string>;
  /** The API URL's query string with its `?`, which may carry a credential. */
  apiUrlQuery?: string;
  /** The fallback provider's secret values, split the same way. */
  fallback?: SecretValues;
}

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

/**
 * Encrypts the secret fields of SMS settings at rest with AES-256-GCM: `clientSecret`,
 * `certificatePemKey`, the values of Access URL parameters (a password, or a secret beside a
 * placeholder) and the query string of the API URL. Each record gets a random 96-bit IV. The additional authenticated data binds the
 * ciphertext to its environment and to the record's clear fields, so that secrets copied to another
 * environment, or a clear field changed in the database (say, the API URL, to send the secrets
 * elsewhere), fail to decrypt.
 */
export class SettingsCipher {
  private readonly keys: Map<string, EncryptionKey>;

  constructor(private readonly keyRing: EncryptionKeyRing) {
    this.keys = new Map(
      [keyRing.current, ...keyRing.previous].map(
        (key) => [key.id, key] as const,
      ),
    );
  }

  /** The id of the key that new records are encrypted with. */
  get currentKeyId(): string {
    return this.keyRing.current.id;
  }

  /** Splits settings into clear fields and encrypted secret values, with the current key. */
  seal(environment: string, settings: SmsSettings): SealedSettings {
    const { clear, secrets } = splitSecrets(settings);
    const clearJson = JSON.stringify(clear);
    const { id, key } = this.keyRing.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(additionalData(environment, clearJson));
    const ciphertext = Buffer.concat([
      cipher.update(JSON.stringify(secrets), 'utf8'),
      cipher.final(),
    ]);
    const sealed = Buffer.concat([
      iv,
      ciphertext,
      cipher.getAuthTag(),
    ]).toString('base64');
    return { settings: clearJson, secrets: `${FORMAT}.${sealed}`, keyId: id };
  }

  /**
   * Puts sealed settings back together.
   *
   * @throws SettingsDecryptionError when the key is not configured, is wrong, or the record was altered
   */
  open(environment: string, sealed: SealedSettings): SmsSettings {
    const key = this.keys.get(sealed.keyId);
    if (!key)
      throw new SettingsDecryptionError(
        environment,
        sealed.keyId,
        'unknown-key',
      );
    const [format, payload] = sealed.secrets.split('.', 2);
    const bytes = Buffer.from(payload ?? '', 'base64');
    if (format !== FORMAT || bytes.length < IV_BYTES + TAG_BYTES) {
      throw new SettingsDecryptionError(environment, sealed.keyId, 'malformed');
    }
    let plaintext: string;
    try {
      const decipher = createDecipheriv(
        ALGORITHM,
        key.key,
        bytes.subarray(0, IV_BYTES),
        {
          authTagLength: TAG_BYTES,
        },
      );
      decipher.setAAD(additionalData(environment, sealed.settings));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      plaintext = Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch (error) {
      throw new SettingsDecryptionError(
        environment,
        sealed.keyId,
        'authentication-failed',
        {
          cause: error,
        },
      );
    }
    try {
      return joinSecrets(JSON.parse(sealed.settings), JSON.parse(plaintext));
    } catch (error) {
      throw new SettingsDecryptionError(
        environment,
        sealed.keyId,
        'malformed',
        { cause: error },
      );
    }
  }
}

function additionalData(environment: string, clearJson: string): Buffer {
  return Buffer.from(
    `nest-sms/environment-settings/${FORMAT}\0${environment}\0${clearJson}`,
  );
}

function splitSecrets(settings: SmsSettings): {
  clear: SmsSettings;
  secrets: SecretValues;
} {
  const { clientSecret, certificatePemKey, parameters, fallback, ...rest } =
    settings;
  const query = rest.apiUrl.indexOf('?');
  const clear: SmsSettings =
    query < 0 ? { ...rest } : { ...rest, apiUrl: rest.apiUrl.slice(0, query) };
  const secrets: SecretValues = { clientSecret, certificatePemKey };
  if (query >= 0) secrets.apiUrlQuery = rest.apiUrl.slice(query);
  if (parameters) {
    clear.parameters = parameters.map(
      ({ name }) => ({ name }) as SmsQueryParameter,
    );
    secrets.parameterValues = Object.fromEntries(
      parameters.map(({ value }, index) => [index, value]),
    );
  }
  if (fallback) {
    const split = splitSecrets(fallback);
    clear.fallback = split.clear;
    secrets.fallback = split.secrets;
  }
  return { clear, secrets };
}

function joinSecrets(clear: SmsSettings, secrets: SecretValues): SmsSettings {
  const settings: SmsSettings = { ...clear };
  if (secrets.apiUrlQuery !== undefined)
    settings.apiUrl = clear.apiUrl + secrets.apiUrlQuery;
  if (secrets.clientSecret !== undefined)
    settings.clientSecret = secrets.clientSecret;
  if (secrets.certificatePemKey !== undefined) {
    settings.certificatePemKey = secrets.certificatePemKey;
  }
  if (clear.parameters) {
    settings.parameters = clear.parameters.map((parameter, index) => ({
      name: parameter.name,
      value: secrets.parameterValues?.[index] ?? parameter.value,
    }));
  }
  if (clear.fallback) {
    settings.fallback = joinSecrets(clear.fallback, secrets.fallback ?? {});
  }
  return settings;
}
