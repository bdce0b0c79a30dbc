import { encodeQueryComponent } from '../providers/access-url.sms-provider.js';
import type { SmsSettings } from './sms-settings.interface.js';
import { ACCESS_URL_PLACEHOLDER_PATTERN } from '../sms.constants.js';
import { WeakMemo } from '../weak-memo.js';

/** What replaces a secret in anything logged or returned. */
export const REDACTED = '[redacted]';

// Shorter fixed values (such as `unicode=1`) are not secrets and would blank out ordinary text.
const MIN_SECRET_LENGTH = 4;

// The shortest run of a private key's base64 body that is redacted wherever it shows up.
const KEY_RUN_LENGTH = 16;

/**
 * Replaces secret values in a text: each value as it is, percent-encoded, form-encoded,
 * JSON-escaped, in base64 (alone or inside a longer base64 text) and in hex, and any run of
 * 16 or more characters of the private key's base64 body.
 */
export interface SecretRedactor {
  /** The text with every secret replaced by {@link REDACTED}. */
  (text: string): string;
  /**
   * The text redacted, then cut to at most `limit` characters, never between the two halves of a
   * surrogate pair. A cut text also loses its tail when that tail could be the head of a secret.
   */
  redactAndCut(text: string, limit: number): string;
}

/** What a redactor replaces: whole forms, longest first, and runs of a private key's body. */
interface SecretPatterns {
  forms: readonly string[];
  keyRuns: ReadonlySet<string>;
}

// Settings objects are replaced, never changed: their patterns are worked out once for each.
const settingsPatterns = new WeakMemo(
  (settings: SmsSettings): SecretPatterns => ({
    forms: formsOfAll(secretValuesOf(settings), MIN_SECRET_LENGTH),
    keyRuns: keyRunsOf(settings.certificatePemKey),
  }),
);

/**
 * The values of settings that must never be logged or returned: the client secret, the key and
 * certificate, every fixed part of an Access URL parameter value (a whole fixed value, or the text
 * beside a placeholder), and the API URL's query string with each of its values.
 */
export function secretValuesOf(settings: SmsSettings): string[] {
  const values = [
    settings.clientSecret,
    settings.certificatePemKey,
    settings.certificatePemCrt,
    ...queryValuesOf(settings.apiUrl),
  ];
  for (const parameter of settings.parameters ?? [])
    values.push(
      ...parameter.value
        .split(ACCESS_URL_PLACEHOLDER_PATTERN)
        .filter((_part, index) => index % 2 === 0),
    );
  return values.filter(
    (v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH,
  );
}

/** The query string of a URL, and each value in it as written and decoded. */
function queryValuesOf(apiUrl: string): string[] {
  const start = apiUrl.indexOf('?');
  if (start < 0) return [];
  const query = apiUrl.slice(start + 1);
  const values = [query];
  for (const pair of query.split('&')) {
    const value = pair.slice(pair.indexOf('=') + 1);
    values.push(value);
    try {
      values.push(decodeURIComponent(value.replace(/\+/g, ' ')));
    } catch {
      // Not percent-encoding after all: the value as written is taken already.
    }
  }
  return values;
}

/** Builds a redactor for the secrets of the given settings. */
export function createSecretRedactor(settings: SmsSettings): SecretRedactor {
  return redactorOf(settingsPatterns.get(settings));
}

/**
 * Builds the redactor of one send: the secrets of its settings, the capability token of its
 * delivery report URL, its sensitive values (such as a one-time code) and, when it has any, the
 * whole message text that carries them.
 */
export function createSendRedactor(
  settings: SmsSettings,
  send: {
    message: string;
    sensitive?: readonly string[];
    deliveryReportUrl?: string;
  },
): SecretRedactor {
  const patterns = withReportToken(
    settingsPatterns.get(settings),
    send.deliveryReportUrl,
  );
  const sensitive = send.sensitive?.filter((value) => value.length > 0) ?? [];
  if (sensitive.length === 0) return redactorOf(patterns);
  return redactorOf({
    // Any length: a short code is still the code.
    forms: longestFirst([
      ...patterns.forms,
      ...formsOfAll([send.message, ...sensitive], 1),
    ]),
    keyRuns: patterns.keyRuns,
  });
}

/**
 * The patterns and the token at the end of the report URL: whoever holds it can post reports of
 * the message, and a provider that refuses may echo the URL back.
 */
function withReportToken(
  patterns: SecretPatterns,
  url: string | undefined,
): SecretPatterns {
  if (!url) return patterns;
  const token = url.slice(url.lastIndexOf('/') + 1);
  return { ...patterns, forms: longestFirst([...patterns.forms, token]) };
}

/** The text with each of `values` replaced by {@link REDACTED}. */
export function redactValues(
  text: string,
  values: readonly string[] | undefined,
): string {
  return values?.length
    ? values.reduce((result, value) => result.split(value).join(REDACTED), text)
    : text;
}

function redactorOf(patterns: SecretPatterns): SecretRedactor {
  const redact = (text: string): string => {
    let result = text;
    for (const form of patterns.forms)
      result = result.split(form).join(REDACTED);
    return redactKeyRuns(result, patterns.keyRuns);
  };
  return Object.assign(redact, {
    redactAndCut: (text: string, limit: number) =>
      cutClear(redact(text), limit, patterns.forms),
  });
}

/** The forms of every value, at least `minLength` long, longest first. */
function formsOfAll(values: readonly string[], minLength: number): string[] {
  return longestFirst(
    values.flatMap(formsOf).filter((form) => form.length >= minLength),
  );
}

/** Distinct, longest first, so that a secret containing another is replaced whole. */
function longestFirst(forms: readonly string[]): string[] {
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

/**
 * A value as it is; as Access URL sends it (`!'()*` encoded too), as `encodeURIComponent` writes it
 * and as a form encoder writes it (`+` for a space); JSON-escaped; and in base64 and hex.
 */
function formsOf(value: string): string[] {
  const encoded = encodeQueryComponent(value);
  const loose = encoded.replace(/%(21|27|28|29|2A)/g, (_m, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
  return [
    value,
    encoded,
    loose,
    loose.replace(/%20/g, '+'),
    JSON.stringify(value).slice(1, -1),
    ...binaryFormsOf(Buffer.from(value, 'utf8')),
  ];
}

/**
 * Hex in both cases, and base64 and base64url, padded or not: of the value alone, and as it reads
 * inside the base64 of a longer text (a Basic authorization header, say), where it can start at
 * any of the three places of a 3-byte group: the groups that hold only its bytes.
 */
function binaryFormsOf(bytes: Buffer): string[] {
  const hex = bytes.toString('hex');
  const base64 = [bytes.toString('base64')];
  for (let skip = 0; skip < 3; skip += 1) {
    const whole = Math.floor((bytes.length - skip) / 3) * 3;
    if (whole > 0)
      base64.push(bytes.subarray(skip, skip + whole).toString('base64'));
  }
  return [
    hex,
    hex.toUpperCase(),
    ...base64.flatMap((form) => {
      const unpadded = form.replace(/=+$/, '');
      return [form, unpadded, unpadded.replace(/\+/g, '-').replace(/\//g, '_')];
    }),
  ];
}

/**
 * Every run of {@link KEY_RUN_LENGTH} characters of a PEM private key's base64 body: as it is,
 * percent-encoded, and with `/` JSON-escaped as some encoders write it.
 */
function keyRunsOf(pem: string | undefined): Set<string> {
  const runs = new Set<string>();
  if (!pem) return runs;
  const body = pem
    .split(/\r?\n/)
    .filter((line) => !line.startsWith('-----'))
    .join('')
    .replace(/\s+/g, '');
  for (const form of [
    body,
    encodeQueryComponent(body),
    body.replace(/\//g, '\\/'),
  ])
    for (let i = 0; i + KEY_RUN_LENGTH <= form.length; i += 1)
      runs.add(form.slice(i, i + KEY_RUN_LENGTH));
  return runs;
}

/** The text with every stretch made of key runs replaced by {@link REDACTED}. */
function redactKeyRuns(text: string, runs: ReadonlySet<string>): string {
  if (runs.size === 0) return text;
  let result = '';
  let from = 0;
  for (const [start, end] of keyRunStretches(text, runs)) {
    result += text.slice(from, start) + REDACTED;
    from = end;
  }
  return result + text.slice(from);
}

/** Where runs of the key show up in the text, overlapping and adjacent ones joined. */
function keyRunStretches(
  text: string,
  runs: ReadonlySet<string>,
): [number, number][] {
  const stretches: [number, number][] = [];
  for (let i = 0; i + KEY_RUN_LENGTH <= text.length; i += 1) {
    if (!runs.has(text.slice(i, i + KEY_RUN_LENGTH))) continue;
    const last = stretches.at(-1);
    if (last && i <= last[1]) last[1] = i + KEY_RUN_LENGTH;
    else stretches.push([i, i + KEY_RUN_LENGTH]);
  }
  return stretches;
}

/**
 * The text cut to `limit` characters, never between the two halves of a surrogate pair, without
 * a tail that begins one of `forms`.
 */
function cutClear(
  text: string,
  limit: number,
  forms: readonly string[],
): string {
  if (text.length <= limit) return text;
  const last = text.charCodeAt(limit - 1);
  const cut = text.slice(
    0,
    last >= 0xd800 && last <= 0xdbff ? limit - 1 : limit,
  );
  return cut.slice(0, cut.length - secretHeadLength(cut, forms));
}

/** The length of the longest end of `text` that is the beginning of one of `forms`. */
function secretHeadLength(text: string, forms: readonly string[]): number {
  let longest = 0;
  for (const form of forms) {
    for (
      let length = Math.min(form.length - 1, text.length);
      length > longest;
      length -= 1
    ) {
      if (text.endsWith(form.slice(0, length))) {
        longest = length;
        break;
      }
    }
  }
  return longest;
}
