/** The most characters of a provider's raw answer kept as its error text. */
export const PROVIDER_TEXT_LIMIT = 500;

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

/** The raw answer, trimmed and cut to {@link PROVIDER_TEXT_LIMIT} characters; undefined when empty. */
export function rawProviderText(body: string): string | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  if (text.length <= PROVIDER_TEXT_LIMIT) return text;
  // Never cut between the two halves of a surrogate pair (an emoji, say).
  const last = text.charCodeAt(PROVIDER_TEXT_LIMIT - 1);
  const end =
    last >= 0xd800 && last <= 0xdbff
      ? PROVIDER_TEXT_LIMIT - 1
      : PROVIDER_TEXT_LIMIT;
  return text.slice(0, end);
}

/** True for a 2xx status. */
export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}
