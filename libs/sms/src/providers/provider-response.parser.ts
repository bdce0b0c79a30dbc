/** A JSON object, as parsed from a provider's answer. */
export type JsonObject = Record<string, unknown>;

/** Parses a provider's answer as a JSON object; undefined when it is not one. Never throws. */
export function parseJsonObject(body: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** True for a non-null, non-array object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string or number field as text; undefined for anything else or an empty value. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

/**
 * The raw answer, trimmed; undefined when empty. It is cut to length by the send's reporter, after
 * the secrets in it are redacted.
 */
export function rawProviderText(body: string): string | undefined {
  const text = body.trim();
  return text === '' ? undefined : text;
}

/** True for a 2xx status. */
export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}
