import { Module } from '@nestjs/common';
import { SmsEvents } from '../events/sms-events.js';
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
    // The codes service reports to it; a test may subscribe to count codes sent and checked.
    SmsEvents,
    InMemorySmsSettingsSource,
    { provide: SmsSettingsSource, useExisting: InMemorySmsSettingsSource },
  ],
  exports: [
    SmsService,
    SmsEvents,
    RecordingSmsService,
    SmsSettingsSource,
    InMemorySmsSettingsSource,
  ],
})
export class SmsRecordingModule {}
