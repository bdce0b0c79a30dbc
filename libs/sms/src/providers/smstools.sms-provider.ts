import {
  SmsProvider,
  type SmsHttpRequest,
  type SmsHttpResponse,
  type SmsProviderOutcome,
  type SmsSendContext,
} from './sms-provider.interface.js';
import {
  isSuccessStatus,
  parseJsonObject,
  rawProviderText,
  textOf,
} from './provider-response.parser.js';
import { withDefaultPath } from './provider-url.util.js';

/** The endpoint used when the configured ApiUrl has no path. */
export const SMSTOOLS_SEND_PATH = '/v1/message/send';

// `{"error":"104","errorMsg":"..."}` carries a code; `{"error":"error parsing json"}` only a text.
const ERROR_CODE = /^\S{1,32}$/;

/**
 * Smstools (smsgatewayapi.com): `POST /v1/message/send` with `X-Client-Id` / `X-Client-Secret` and a
 * JSON body. Success is a 2xx with `messageid`; a 2xx that carries `error` is a failure.
 */
export class SmstoolsSmsProvider extends SmsProvider {
  /** @inheritdoc */
  readonly type = 'Smstools';

  /** Builds the `POST` with the client id and secret headers. */
  buildRequest(context: SmsSendContext): SmsHttpRequest {
    const { settings } = context;
    return {
      method: 'POST',
      url: withDefaultPath(settings.apiUrl, SMSTOOLS_SEND_PATH),
      headers: {
        'X-Client-Id': settings.clientId ?? '',
        'X-Client-Secret': settings.clientSecret ?? '',
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: JSON.stringify({
        message: context.message,
        to: context.phone.digits,
        sender: settings.fromName,
      }),
    };
  }

  /** Reads `messageid` on a 2xx without `error`; `error` and `errorMsg` otherwise. */
  readResponse(response: SmsHttpResponse): SmsProviderOutcome {
    const json = parseJsonObject(response.body);
    const error = textOf(json?.error);
    if (isSuccessStatus(response.status) && error === undefined) {
      return { ok: true, messageId: textOf(json?.messageid) };
    }
    const errorMsg = textOf(json?.errorMsg);
    if (errorMsg !== undefined) {
      return { ok: false, providerCode: error, providerText: errorMsg };
    }
    if (error !== undefined && ERROR_CODE.test(error)) {
      return { ok: false, providerCode: error };
    }
    return {
      ok: false,
      providerText: error ?? rawProviderText(response.body),
    };
  }
}
