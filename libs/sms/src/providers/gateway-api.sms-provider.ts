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
import type { SmsDeliveryReport } from '../messages/sms-message-record.interface.js';
import { readGatewayApiDeliveryReport } from '../messages/reports/gateway-api.delivery-report.reader.js';

/** The endpoint used when the configured ApiUrl has no path. */
export const GATEWAY_API_SEND_PATH = '/rest/mtsms';

/**
 * Gateway API (gatewayapi.com / gatewayapi.eu): `POST /rest/mtsms` with a token and a JSON body.
 * Success is a 2xx whose `ids[0]` is the message id; errors carry `code` and `message`.
 */
export class GatewayApiSmsProvider extends SmsProvider {
  /** @inheritdoc */
  readonly type = 'GatewayApi';

  /** Builds the `POST` with `Authorization: Token {ClientSecret}`. */
  buildRequest(context: SmsSendContext): SmsHttpRequest {
    const { settings } = context;
    return {
      method: 'POST',
      url: withDefaultPath(settings.apiUrl, GATEWAY_API_SEND_PATH),
      headers: {
        Authorization: `Token ${settings.clientSecret ?? ''}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: JSON.stringify({
        sender: settings.fromName,
        message: context.message,
        // The provider documents msisdn as a number; E.164 has at most 15 digits, well within 2^53.
        recipients: [{ msisdn: Number(context.phone.digits) }],
        ...(settings.label ? { label: settings.label } : {}),
        // Without it the provider sends GSM-7 and mangles every other character.
        ...(context.encoding === 'UCS-2' ? { encoding: 'UCS2' } : {}),
        ...(context.deliveryReportUrl
          ? {
              callback_url: context.deliveryReportUrl,
              userref: context.correlationId,
            }
          : {}),
      }),
    };
  }

  /** Reads a report posted to `callback_url`; `userref` names the message. */
  override readDeliveryReport(body: unknown): SmsDeliveryReport {
    return readGatewayApiDeliveryReport(body);
  }

  /** Reads `ids[0]` on a 2xx, `code` and `message` otherwise. */
  readResponse(response: SmsHttpResponse): SmsProviderOutcome {
    const json = parseJsonObject(response.body);
    if (isSuccessStatus(response.status)) {
      const ids = json?.ids;
      return {
        ok: true,
        messageId: Array.isArray(ids) ? textOf(ids[0]) : undefined,
      };
    }
    return {
      ok: false,
      providerCode: textOf(json?.code),
      providerText: textOf(json?.message) ?? rawProviderText(response.body),
    };
  }
}
