import { Logger, type Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { SMS_MODULE_OPTIONS } from './sms.module-definition.js';
import type { SmsModuleOptions } from './sms-module-options.interface.js';
import { SmsService } from './sms.service.js';
import { SmsSendReporter } from './send/sms-send.reporter.js';
import { SmsSendEventEmitter } from './send/sms-send-event.emitter.js';
import { SmsFailoverReporter } from './failover/sms-failover.reporter.js';
import { SmsConnectionVerifier } from './connection-check/sms-connection.verifier.js';
import { SmsSettingsResolver } from './settings/sms-settings.resolver.js';
import {
  InMemorySmsSettingsSource,
  SmsSettingsSource,
} from './settings/sms-settings.source.js';
import { SmsProviderRegistry } from './providers/sms-provider.registry.js';
import { smsHttpTransportProvider } from './transport/sms-http-transport.factory.js';
import { SmsClientCertificateGuard } from './certificates/sms-client-certificate.guard.js';
import { SmsEvents } from './events/sms-events.js';
import {
  InMemorySmsMessageRecordSource,
  SmsMessageRecordSource,
} from './messages/sms-message-record.source.js';
import { SmsMessageKeys } from './messages/sms-message.keys.js';
import { SmsMessageRecorder } from './messages/sms-message.recorder.js';
import { SmsDeliveryReportHandler } from './messages/sms-delivery-report.handler.js';
import { SmsMessageRecords } from './messages/sms-message-records.js';
import {
  collectProblems,
  parseSiteSmsSettings,
  type ValidatedSmsSettings,
} from './settings/sms-settings.validator.js';
import { SMS_SITE_SETTINGS } from './sms.constants.js';
import { validateSmsModuleOptions } from './sms-module-options.validator.js';
import { SmsEnvironmentResolver } from './environment/sms-environment.resolver.js';
import { createSmsEnvironmentResolver } from './environment/sms-environment-resolver.factory.js';
import { SmsEnvironmentInterceptor } from './environment/sms-environment.interceptor.js';
import { SmsEnvironmentMiddleware } from './environment/sms-environment.middleware.js';
import { validateSmsMessagesOptions } from './messages/sms-messages-options.validator.js';
import {
  SmsSettingsError,
  type SmsSettingsProblem,
} from './errors/sms-settings.error.js';

/** The module's providers: the validated site settings, the source, the strategies and the service. */
export function createSmsProviders(): Provider[] {
  return [
    {
      provide: SMS_SITE_SETTINGS,
      inject: [SMS_MODULE_OPTIONS],
      // Runs once at bootstrap: invalid options stop the application here, with every problem listed.
      useFactory: (options: SmsModuleOptions) => {
        const site = validateAll(options);
        if (!site) return undefined;
        const logger = new Logger('SmsModule');
        for (const warning of site.warnings) logger.warn(warning);
        return site;
      },
    },
    {
      provide: SmsSettingsSource,
      inject: [SMS_MODULE_OPTIONS],
      useFactory: (options: SmsModuleOptions) =>
        options.settingsSource ?? new InMemorySmsSettingsSource(),
    },
    {
      // The same instance, for filling environments in code and in tests; undefined when the host
      // brought a source of another kind.
      provide: InMemorySmsSettingsSource,
      inject: [SmsSettingsSource],
      useFactory: (source: SmsSettingsSource) =>
        source instanceof InMemorySmsSettingsSource ? source : undefined,
    },
    ...messageProviders(),
    SmsSettingsResolver,
    SmsProviderRegistry,
    smsHttpTransportProvider,
    SmsClientCertificateGuard,
    SmsSendReporter,
    SmsSendEventEmitter,
    SmsFailoverReporter,
    SmsEvents,
    SmsService,
    SmsConnectionVerifier,
    {
      provide: SmsEnvironmentResolver,
      // SMS_SITE_SETTINGS first: the options are validated before the resolver is built from them.
      inject: [SMS_MODULE_OPTIONS, ModuleRef, SMS_SITE_SETTINGS],
      useFactory: (options: SmsModuleOptions, moduleRef: ModuleRef) =>
        createSmsEnvironmentResolver(options.environmentResolver, moduleRef),
    },
    SmsEnvironmentInterceptor,
    SmsEnvironmentMiddleware,
  ];
}

/** The record source, its in-memory alias, the keys, the recorder and the report handler. */
function messageProviders(): Provider[] {
  return [
    {
      provide: SmsMessageRecordSource,
      inject: [SMS_MODULE_OPTIONS],
      useFactory: (options: SmsModuleOptions) =>
        options.messages?.source ?? new InMemorySmsMessageRecordSource(),
    },
    {
      provide: InMemorySmsMessageRecordSource,
      inject: [SmsMessageRecordSource],
      useFactory: (source: SmsMessageRecordSource) =>
        source instanceof InMemorySmsMessageRecordSource ? source : undefined,
    },
    {
      provide: SmsMessageKeys,
      inject: [SMS_MODULE_OPTIONS],
      useFactory: (options: SmsModuleOptions) =>
        new SmsMessageKeys(options.messages?.key),
    },
    SmsMessageRecorder,
    SmsMessageRecords,
    SmsDeliveryReportHandler,
  ];
}

/** Validates the options and the site settings together, so that one error lists every problem. */
function validateAll(
  options: SmsModuleOptions,
): ValidatedSmsSettings | undefined {
  const problems: SmsSettingsProblem[] = [];
  const collect = <T>(validate: () => T) => collectProblems(problems, validate);
  collect(() => validateSmsModuleOptions(options));
  collect(() => validateSmsMessagesOptions(options.messages));
  const site =
    options.settings === undefined || options.settings === null
      ? undefined
      : collect(() =>
          parseSiteSmsSettings(options.settings, {
            customProviders: options.customProviders,
          }),
        );
  if (problems.length > 0) throw new SmsSettingsError(problems);
  return site;
}
