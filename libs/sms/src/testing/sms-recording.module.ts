import { Module } from '@nestjs/common';
import { SmsService } from '../sms.service.js';
import {
  InMemorySmsSettingsSource,
  SmsSettingsSource,
} from '../settings/sms-settings.source.js';
import { RecordingSmsService } from './recording-sms.service.js';

/**
 * The recorder and its settings source. A module without options, so that Nest creates it once per
 * application: every `SmsTestingModule` import, however configured, shares one
 * {@link RecordingSmsService}.
 */
@Module({
  providers: [
    RecordingSmsService,
    { provide: SmsService, useExisting: RecordingSmsService },
    InMemorySmsSettingsSource,
    { provide: SmsSettingsSource, useExisting: InMemorySmsSettingsSource },
  ],
  exports: [
    SmsService,
    RecordingSmsService,
    SmsSettingsSource,
    InMemorySmsSettingsSource,
  ],
})
export class SmsRecordingModule {}
