import { Injectable } from '@nestjs/common';
import {
  certificateValidityProblem,
  inspectClientCertificate,
  type ClientCertificateInspection,
} from './client-certificate.js';
import type { SmsSettings } from '../settings/sms-settings.interface.js';
import { SmsSettingsMessages } from '../settings/sms-settings.messages.js';
import { SmsProviderError } from '../errors/sms-provider.error.js';

const M = SmsSettingsMessages.certificateGuard;

/**
 * Refuses a send whose client certificate cannot be used at that moment: validated settings may
 * hold a certificate that has since expired (an environment's) or that was accepted with a warning
 * (the site's). Each settings object's certificate is read once.
 */
@Injectable()
export class SmsClientCertificateGuard {
  private readonly inspections = new WeakMap<
    SmsSettings,
    ClientCertificateInspection
  >();

  /**
   * Checks the client certificate of settings that have one; does nothing for settings without.
   *
   * @param now the time of the send; the current time by default
   * @throws SmsProviderError (not sent) when the certificate is outside its validity period or the
   *   certificate and key cannot be used
   */
  assertUsable(settings: SmsSettings, now: Date = new Date()): void {
    if (typeof settings.certificatePemCrt !== 'string') return;
    const { info, problems } = this.inspect(settings);
    const problem = problems[0];
    if (problem) {
      throw this.refuse(
        settings,
        M.unusable(settings.type, problem.field, problem.reason),
      );
    }
    const validity = info && certificateValidityProblem(info, now);
    if (validity) {
      throw this.refuse(settings, M.outsideValidity(settings.type, validity));
    }
  }

  private inspect(settings: SmsSettings): ClientCertificateInspection {
    let inspection = this.inspections.get(settings);
    if (!inspection) {
      inspection = inspectClientCertificate(
        settings.certificatePemCrt ?? '',
        settings.certificatePemKey ?? '',
      );
      this.inspections.set(settings, inspection);
    }
    return inspection;
  }

  private refuse(settings: SmsSettings, message: string): SmsProviderError {
    return new SmsProviderError(message, {
      provider: settings.type,
      maybeSent: false,
    });
  }
}
