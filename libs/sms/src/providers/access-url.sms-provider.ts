import {
  SmsProvider,
  type SmsHttpRequest,
  type SmsHttpResponse,
  type SmsProviderOutcome,
  type SmsSendContext,
} from './sms-provider.interface.js';
import {
  isSuccessStatus,
  rawProviderText,
} from './provider-response.parser.js';
import type { SmsSettings } from '../settings/sms-settings.interface.js';
import { WeakMemo } from '../weak-memo.js';

const PLACEHOLDER = /\{(phone|message|fromName)\}/g;
const HAS_PLACEHOLDER = /\{(phone|message|fromName)\}/;
// What encodeURIComponent leaves as it is beyond `A-Z a-z 0-9 - _ . ~`.
const SUB_DELIMITERS = /[!'()*]/g;

/** One query parameter, worked out once per settings object. */
type CompiledParameter =
  /** `name=value`, encoded: the value has no placeholder. */
  | { fixed: string }
  /** `name=`, encoded, and the value to fill in and encode for each message. */
  | { prefix: string; template: string };

/** An Access URL's settings in the form a send needs: the base URL and the encoded fixed parts. */
interface CompiledAccessUrl {
  base: string;
  parameters: CompiledParameter[];
}

/**
 * Access URL: a generic provider called with `GET {ApiUrl}?{name}={value}&...`, the configured
 * parameters in order, with `{phone}`, `{message}` and `{fromName}` filled in. Any 2xx is a success;
 * the answer carries no message id the library can rely on.
 */
export class AccessUrlSmsProvider extends SmsProvider {
  /** @inheritdoc */
  readonly type = 'AccessUrl';

  // Parsing the API URL and encoding the fixed parameters on every send showed up in the profiles;
  // settings objects are immutable, so each is worked out once.
  private readonly compiled = new WeakMemo(compileAccessUrl);

  /** Builds `GET {ApiUrl}?...` with every name and value percent-encoded. */
  buildRequest(context: SmsSendContext): SmsHttpRequest {
    const { settings } = context;
    const { base, parameters } = this.compiled.get(settings);
    const values: Record<string, string> = {
      phone: context.phone.e164,
      message: context.message,
      fromName: settings.fromName,
    };
    let query = '';
    for (const parameter of parameters) {
      if (query !== '') query += '&';
      if ('fixed' in parameter) {
        query += parameter.fixed;
        continue;
      }
      // One pass: a placeholder inside the substituted text (a `{message}` in the message) stays.
      const filled = parameter.template.replace(
        PLACEHOLDER,
        (_match, key: string) => values[key],
      );
      query += parameter.prefix + encodeQueryComponent(filled);
    }
    return { method: 'GET', url: `${base}?${query}`, headers: {} };
  }

  /** Any 2xx is a success; otherwise the raw answer is the provider's text. */
  readResponse(response: SmsHttpResponse): SmsProviderOutcome {
    if (isSuccessStatus(response.status)) return { ok: true };
    return { ok: false, providerText: rawProviderText(response.body) };
  }
}

/** The API URL without query or fragment, and each parameter encoded as far as it is fixed. */
function compileAccessUrl(settings: SmsSettings): CompiledAccessUrl {
  const url = new URL(settings.apiUrl);
  url.search = '';
  url.hash = '';
  return {
    base: url.href,
    parameters: (settings.parameters ?? []).map(({ name, value }) => {
      const prefix = `${encodeQueryComponent(name)}=`;
      return HAS_PLACEHOLDER.test(value)
        ? { prefix, template: value }
        : { fixed: prefix + encodeQueryComponent(value) };
    }),
  };
}

/**
 * Percent-encodes every UTF-8 byte outside `A-Z a-z 0-9 - _ . ~`, so that `+` becomes `%2B` and a
 * space `%20`, whatever the provider's query parser makes of them. This is `encodeURIComponent` that
 * also encodes `!'()*` and turns a lone surrogate into U+FFFD instead of throwing.
 */
export function encodeQueryComponent(text: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(text);
  } catch {
    // A lone surrogate: the UTF-8 round trip turns it into U+FFFD, as a provider would receive it.
    encoded = encodeURIComponent(Buffer.from(text, 'utf8').toString('utf8'));
  }
  return encoded.replace(
    SUB_DELIMITERS,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
