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

const PLACEHOLDER = /\{(phone|message|fromName)\}/g;
// What encodeURIComponent leaves as it is beyond `A-Z a-z 0-9 - _ . ~`.
const SUB_DELIMITERS = /[!'()*]/g;

/**
 * Access URL: a generic provider called with `GET {ApiUrl}?{name}={value}&...`, the configured
 * parameters in order, with `{phone}`, `{message}` and `{fromName}` filled in. Any 2xx is a success;
 * the answer carries no message id the library can rely on.
 */
export class AccessUrlSmsProvider extends SmsProvider {
  /** @inheritdoc */
  readonly type = 'AccessUrl';

  /** Builds `GET {ApiUrl}?...` with every name and value percent-encoded. */
  buildRequest(context: SmsSendContext): SmsHttpRequest {
    const { settings } = context;
    const values: Record<string, string> = {
      phone: context.phone.e164,
      message: context.message,
      fromName: settings.fromName,
    };
    const query = (settings.parameters ?? [])
      .map(({ name, value }) => {
        // One pass: a placeholder inside the substituted text (a `{message}` in the message) stays.
        const filled = value.replace(
          PLACEHOLDER,
          (_match, key: string) => values[key],
        );
        return `${encodeQueryComponent(name)}=${encodeQueryComponent(filled)}`;
      })
      .join('&');
    const url = new URL(settings.apiUrl);
    url.search = '';
    url.hash = '';
    return { method: 'GET', url: `${url.href}?${query}`, headers: {} };
  }

  /** Any 2xx is a success; otherwise the raw answer is the provider's text. */
  readResponse(response: SmsHttpResponse): SmsProviderOutcome {
    if (isSuccessStatus(response.status)) return { ok: true };
    return { ok: false, providerText: rawProviderText(response.body) };
  }
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
