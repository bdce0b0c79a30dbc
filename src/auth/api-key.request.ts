/** A request that passed {@link ApiKeyGuard}. */
export interface ApiKeyRequest {
  /**
   * An id of the API key the caller presented: the first 16 hex digits of its SHA-256, never the
   * key. Used to count test sends per key.
   */
  apiKeyId?: string;
  /** The `Name` of the API key the caller presented, for log lines; never the key. */
  apiKeyName?: string;
}
