/** The credentials the sandbox's provider endpoints accept. */
export interface SandboxCredentials {
  /** Gateway API: the token in `Authorization: Token <token>`. */
  gatewayApiToken: string;
  /** Smstools: the `X-Client-Id` header. */
  smstoolsClientId: string;
  /** Smstools: the `X-Client-Secret` header. */
  smstoolsClientSecret: string;
  /** Telia SMS Gateway: the API key in `Authorization: Bearer <key>`. */
  teliaApiKey: string;
  /** Access URL: the `username` query parameter. */
  accessUrlUsername: string;
  /** Access URL: the `password` query parameter. */
  accessUrlPassword: string;
}

/**
 * Fixed credentials that only the sandbox accepts; they are published in `sandbox/README.md` and
 * grant nothing anywhere else.
 */
export const DEFAULT_SANDBOX_CREDENTIALS: Readonly<SandboxCredentials> =
  Object.freeze({
    gatewayApiToken: 'sandbox-gatewayapi-token',
    smstoolsClientId: 'sandbox-smstools-client',
    smstoolsClientSecret: 'sandbox-smstools-secret',
    teliaApiKey: 'sandbox-telia-api-key',
    accessUrlUsername: 'sandbox',
    accessUrlPassword: 'sandbox-password',
  });

/**
 * Completes the given credentials with the defaults.
 *
 * @throws Error naming the field when a given credential is empty.
 */
export function resolveSandboxCredentials(
  overrides: Partial<SandboxCredentials> = {},
): SandboxCredentials {
  const credentials = { ...DEFAULT_SANDBOX_CREDENTIALS };
  for (const key of Object.keys(credentials) as (keyof SandboxCredentials)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new Error(
        `SandboxOptions.credentials.${key}: must be a non-empty string.`,
      );
    }
    credentials[key] = value;
  }
  return credentials;
}
