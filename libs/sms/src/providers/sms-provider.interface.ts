import type { SmsEncoding } from '../message/message-encoding.js';
import type { SmsPhoneNumber } from '../message/phone-number.js';
import type { SmsSettings } from '../settings/sms-settings.interface.js';
import type { SmsDeliveryReport } from '../messages/sms-message-record.interface.js';

/** Everything a provider strategy needs to build one request. */
export interface SmsSendContext {
  settings: SmsSettings;
  phone: SmsPhoneNumber;
  message: string;
  encoding: SmsEncoding;
  segments: number;
  /** Unique per message and the same on a retry of it (Telia's `clientCorrelator`). */
  correlationId: string;
  /** Values of the text the library keeps out of its logs (a one-time code). */
  sensitive?: readonly string[];
  /**
   * Where the provider should post this message's delivery report; set only for strategies with
   * `readDeliveryReport`, when the module has a public URL. The report names `correlationId`.
   */
  deliveryReportUrl?: string;
}

/** One HTTPS request to a provider. */
export interface SmsHttpRequest {
  method: 'GET' | 'POST';
  /** The full URL, query string included. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** A client certificate for mutual TLS (Telia). */
  clientCertificate?: { certificatePem: string; privateKeyPem: string };
}

/** A provider's answer, read up to the size limit. */
export interface SmsHttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What a provider strategy reads from an answer. */
export type SmsProviderOutcome =
  | { ok: true; messageId?: string }
  | { ok: false; providerCode?: string; providerText?: string };

/**
 * A provider strategy: a stateless singleton that turns a send into the provider's request and reads
 * the provider's answer. Register your own with `SmsModule.forRoot({ customProviders: [...] })`.
 */
export abstract class SmsProvider {
  /** The settings `type` this strategy serves. */
  abstract readonly type: string;

  /** Builds the exact request for one message. */
  abstract buildRequest(context: SmsSendContext): SmsHttpRequest;

  /** Reads the provider's answer: the message id on success, the provider's code and text otherwise. */
  abstract readResponse(
    response: SmsHttpResponse,
    context: SmsSendContext,
  ): SmsProviderOutcome;

  /**
   * Extra validation of settings of this type, for custom providers: one sentence per problem, keyed
   * by the camelCase field name. Built-in types are validated by the library.
   */
  validate?(settings: SmsSettings): { field: string; message: string }[];

  /**
   * For providers that report delivery: reads a report's parsed JSON body. A strategy with this
   * method asks for reports in `buildRequest` when the context has a `deliveryReportUrl`.
   *
   * @throws SmsDeliveryReportInvalidError when the body is not a report of this provider
   */
  readDeliveryReport?(body: unknown): SmsDeliveryReport;
}
