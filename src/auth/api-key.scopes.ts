/**
 * What an API key may do. `send`: test sends and connection checks (`/sms/test`, `/sms/verify`, and
 * their environment forms); `codes`: one-time codes, sent and checked; `admin`: set and remove an
 * environment's settings; `read`: read an environment's settings (masked); `metrics`: read
 * `GET /metrics`.
 */
export const API_KEY_SCOPES = [
  'send',
  'codes',
  'admin',
  'read',
  'metrics',
] as const;

/** One of {@link API_KEY_SCOPES}. */
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
