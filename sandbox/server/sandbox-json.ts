const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The outcome of parsing a JSON body: `undefined` when it is not UTF-8 JSON. */
export function parseJsonBody(body: Buffer): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(UTF8.decode(body)) as unknown };
  } catch {
    return undefined;
  }
}

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
