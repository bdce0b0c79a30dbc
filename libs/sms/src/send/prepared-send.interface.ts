import type {
  SmsHttpRequest,
  SmsProvider,
  SmsSendContext,
} from '../providers/sms-provider.interface.js';
import type { ResolvedSmsSettings } from '../settings/sms-settings.resolver.js';

/** A send that passed validation and has its request built: what every attempt of it shares. */
export interface PreparedSend {
  /** What the provider strategy built the request from. */
  context: SmsSendContext;
  /** The settings in use, and whether they are the environment's or the site's. */
  resolved: ResolvedSmsSettings;
  /** The strategy of the settings' type. */
  provider: SmsProvider;
  /** The request, the same on every attempt. */
  request: SmsHttpRequest;
  /** When the send began, a `performance.now()` reading. */
  started: number;
}
