import { Module } from '@nestjs/common';
import { SmsEvents } from '../events/sms-events.js';
import { SmsService } from '../sms.service.js';
import {
  InMemorySmsSettingsSource,
  SmsSettingsSource,
} from '../settings/sms-settings.source.js';
import { RecordingSmsService } from './recording-sms.service.js';
import { SmsEnvironmentResolver } from '../environment/sms-environment.resolver.js';
import { RouteParamSmsEnvironmentResolver } from '../environment/route-param.sms-environment-resolver.js';
import { SmsEnvironmentInterceptor } from '../environment/sms-environment.interceptor.js';
import { SmsEnvironmentMiddleware } from '../environment/sms-environment.middleware.js';

/**
 * The recorder and its settings source, and the environment resolver (the route parameter
 * `environment`; override `SmsEnvironmentResolver` for another) with the interceptor and the
 * middleware that use it, so that the app's controllers resolve as with `SmsModule`. A module
 * without options, so that Nest creates it once per application: every `SmsTestingModule` import,
 * however configured, shares one {@link RecordingSmsService}.
 */
@Module({
  providers: [
    RecordingSmsService,
    { provide: SmsService, useExisting: RecordingSmsService },
    // The codes service reports to it; a test may subscribe to count codes sent and checked.
    SmsEvents,
    InMemorySmsSettingsSource,
    { provide: SmsSettingsSource, useExisting: InMemorySmsSettingsSource },
    {
      provide: SmsEnvironmentResolver,
      useFactory: () => new RouteParamSmsEnvironmentResolver(),
    },
    SmsEnvironmentInterceptor,
    SmsEnvironmentMiddleware,
  ],
  exports: [
    SmsService,
    SmsEvents,
    RecordingSmsService,
    SmsSettingsSource,
    InMemorySmsSettingsSource,
    SmsEnvironmentResolver,
    SmsEnvironmentInterceptor,
    SmsEnvironmentMiddleware,
  ],
})
export class SmsRecordingModule {}
