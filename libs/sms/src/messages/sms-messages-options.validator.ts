import {
  SmsSettingsError,
  type SmsSettingsProblem,
} from '../errors/sms-settings.error.js';
import { deliveryReportUrlProblem } from './delivery-report-url.js';
import type { SmsMessagesOptions } from './sms-messages-options.interface.js';

const MIN_KEY_BYTES = 32;
const SOURCE_METHODS = ['create', 'update', 'get', 'findByPhone'] as const;

/**
 * Checks the module option `messages`.
 *
 * @throws SmsSettingsError naming every bad field of it
 */
export function validateSmsMessagesOptions(
  messages: SmsMessagesOptions | undefined,
): void {
  if (messages === undefined) return;
  const problems: SmsSettingsProblem[] = [];
  const { source, key, publicUrl } = messages;
  if (
    source !== undefined &&
    !SOURCE_METHODS.every(
      (method) =>
        typeof (source as unknown as Record<string, unknown>)?.[method] ===
        'function',
    )
  )
    problems.push({
      path: 'messages.source',
      message: `The option source must be an SmsMessageRecordSource (${SOURCE_METHODS.join(', ')}).`,
    });
  if (
    key !== undefined &&
    !(key instanceof Uint8Array && key.length >= MIN_KEY_BYTES)
  )
    problems.push({
      path: 'messages.key',
      message: `The option key must be at least ${MIN_KEY_BYTES} bytes (a Buffer or Uint8Array).`,
    });
  const urlProblem =
    publicUrl === undefined ? undefined : deliveryReportUrlProblem(publicUrl);
  if (urlProblem)
    problems.push({
      path: 'messages.publicUrl',
      message: `The option publicUrl ${urlProblem}.`,
    });
  if (problems.length > 0) throw new SmsSettingsError(problems);
}
