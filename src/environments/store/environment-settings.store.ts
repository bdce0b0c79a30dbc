import { SmsSettingsSource, type SmsSettings } from '@app/sms';

/** What {@link EnvironmentSettingsStore.put} did. */
export interface PutEnvironmentSettingsResult {
  /** True when the environment had no settings before. */
  created: boolean;
}

/**
 * Environments' own SMS settings, kept in a database with their secrets encrypted. It is the
 * library's `SmsSettingsSource`: `get` is on the send path, so it answers from a bounded cache and
 * returns the same object until the environment's settings change, on this instance or on another
 * one sharing the database.
 *
 * Inject it by this class; `StoreModule` provides the implementation chosen by `Settings:Store:Url`.
 */
export abstract class EnvironmentSettingsStore extends SmsSettingsSource {
  /**
   * The environment's settings, validated when they were stored, or undefined when it has none.
   * The object is frozen and shared: do not change it.
   *
   * @throws SettingsDecryptionError when the stored secrets cannot be decrypted with the configured keys
   */
  abstract override get(environment: string): Promise<SmsSettings | undefined>;

  /** Sets (replaces as a whole) the environment's settings. Validate them first. */
  abstract put(
    environment: string,
    settings: SmsSettings,
  ): Promise<PutEnvironmentSettingsResult>;

  /** Removes the environment's settings; true when it had some. */
  abstract delete(environment: string): Promise<boolean>;

  /** Resolves when the database answers; rejects otherwise. For health checks. */
  abstract ping(): Promise<void>;

  /** Closes the database connections. The store cannot be used afterwards. */
  abstract close(): Promise<void>;
}
