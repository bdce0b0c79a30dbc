import { Logger, type Provider } from '@nestjs/common';
import { SMS_MODULE_OPTIONS } from './sms.module-definition.js';
import type { SmsModuleOptions } from './sms-module-options.interface.js';
import { SmsService } from './sms.service.js';
import { SmsSettingsResolver } from './sms-settings.resolver.js';
import {
  InMemorySmsSettingsSource,
  SmsSettingsSource,
} from './sms-settings.source.js';
import { SmsProviderRegistry } from './sms-provider.registry.js';
import { SmsHttpTransport } from './sms-http.transport.js';
import { SmsClientCertificateGuard } from './sms-client-certificate.guard.js';
import { parseSiteSmsSettings } from './sms-settings.validator.js';
import { SMS_SITE_SETTINGS } from './sms.tokens.js';
import { validateSmsModuleOptions } from './sms-module-options.validator.js';

/** The module's providers: the validated site settings, the source, the strategies and the service. */
export function createSmsProviders(): Provider[] {
  return [
    {
      provide: SMS_SITE_SETTINGS,
      inject: [SMS_MODULE_OPTIONS],
      // Runs once at bootstrap: invalid options stop the application here, with every problem listed.
      useFactory: (options: SmsModuleOptions) => {
        validateSmsModuleOptions(options);
        if (options.settings === undefined || options.settings === null)
          return undefined;
        const site = parseSiteSmsSettings(options.settings, {
          customProviders: options.customProviders,
        });
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
    SmsSettingsResolver,
    SmsProviderRegistry,
    SmsHttpTransport,
    SmsClientCertificateGuard,
    SmsService,
  ];
}
