import {
  SmsProvider,
  type SmsHttpRequest,
  type SmsHttpResponse,
  type SmsProviderOutcome,
  type SmsSendContext,
} from './sms-provider.interface.js';
import {
  isJsonObject,
  parseJsonObject,
  rawProviderText,
  textOf,
  type JsonObject,
} from './provider-response.parser.js';
import type { SmsSettings } from '../settings/sms-settings.interface.js';
import { SmsError } from '../errors/sms.error.js';
import { WeakMemo } from '../weak-memo.js';
import type { SmsDeliveryReport } from '../messages/sms-message-record.interface.js';
import { readTeliaDeliveryReport } from '../messages/reports/telia.delivery-report.reader.js';

const SUCCESS_STATUSES = new Set([200, 201, 202]);

/**
 * Telia SMS Gateway (OneAPI outbound messaging): `POST {ApiUrl}` over mutual TLS with a bearer API
 * key. Success is 200, 201 or 202 whose `resourceReference.resourceURL` ends with the message id;
 * errors carry `requestError.serviceException` or `policyException` with `messageId` and `text`.
 */
export class TeliaSmsGatewaySmsProvider extends SmsProvider {
  /** @inheritdoc */
  readonly type = 'TeliaSmsGateway';

  // One object per settings object, by which the transport knows a certificate it has seen without
  // hashing its PEM again (about 8 µs of every send in the profiles).
  private readonly certificates = new WeakMemo(
    (
      settings: SmsSettings,
    ): NonNullable<SmsHttpRequest['clientCertificate']> => ({
      certificatePem: settings.certificatePemCrt ?? '',
      privateKeyPem: settings.certificatePemKey ?? '',
    }),
  );

  /**
   * Builds the `POST` to ApiUrl exactly as configured, with the client certificate attached and the
   * send's correlation id as `clientCorrelator`, which makes a retry of the same message idempotent.
   *
   * @throws SmsError when the settings carry no client certificate and key.
   */
  buildRequest(context: SmsSendContext): SmsHttpRequest {
    const { settings } = context;
    if (!settings.certificatePemCrt || !settings.certificatePemKey) {
      throw new SmsError(
        'TeliaSmsGateway: certificatePemCrt and certificatePemKey are required for mutual TLS.',
      );
    }
    return {
      method: 'POST',
      url: settings.apiUrl,
      headers: {
        Authorization: `Bearer ${settings.clientSecret ?? ''}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: JSON.stringify({
        outboundMessageRequest: {
          address: [`tel:${context.phone.e164}`],
          senderAddress: settings.clientId,
          senderName: settings.fromName,
          outboundSMSTextMessage: { message: context.message },
          clientCorrelator: context.correlationId,
          ...(context.deliveryReportUrl
            ? {
                receiptRequest: {
                  notifyURL: context.deliveryReportUrl,
                  notificationFormat: 'JSON',
                  callbackData: context.correlationId,
                },
              }
            : {}),
        },
      }),
      clientCertificate: this.certificates.get(settings),
    };
  }

  /** Reads a report posted to `receiptRequest.notifyURL`; `callbackData` names the message. */
  override readDeliveryReport(body: unknown): SmsDeliveryReport {
    return readTeliaDeliveryReport(body);
  }

  /** Reads the id from `resourceReference.resourceURL`, or the exception's `messageId` and `text`. */
  readResponse(response: SmsHttpResponse): SmsProviderOutcome {
    const json = parseJsonObject(response.body);
    if (SUCCESS_STATUSES.has(response.status)) {
      return { ok: true, messageId: messageIdOf(json) };
    }
    const requestError = json?.requestError;
    const exception = isJsonObject(requestError)
      ? (requestError.serviceException ?? requestError.policyException)
      : undefined;
    if (!isJsonObject(exception)) {
      return { ok: false, providerText: rawProviderText(response.body) };
    }
    const text = textOf(exception.text);
    return {
      ok: false,
      providerCode: textOf(exception.messageId),
      providerText:
        text === undefined ? undefined : withVariables(text, exception),
    };
  }
}

/** The last path segment of `resourceReference.resourceURL`. */
function messageIdOf(json: JsonObject | undefined): string | undefined {
  const reference = json?.resourceReference;
  if (!isJsonObject(reference)) return undefined;
  const resourceUrl = textOf(reference.resourceURL);
  return resourceUrl
    ?.split(/[?#]/)[0]
    .split('/')
    .filter((segment) => segment !== '')
    .pop();
}

/** Fills `%1`, `%2`... of an exception text with its `variables`, as OneAPI defines them. */
function withVariables(text: string, exception: JsonObject): string {
  const { variables } = exception;
  if (!Array.isArray(variables)) return text;
  return text.replace(/%(\d+)/g, (match, index: string) => {
    const value = textOf(variables[Number(index) - 1]);
    return value ?? match;
  });
}
