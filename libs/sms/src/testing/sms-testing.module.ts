import { Module } from '@nestjs/common';
import { SmsService } from '../sms.service.js';
import { RecordingSmsService } from './recording-sms.service.js';

/**
 * Import instead of `SmsModule` in tests: `SmsService` is replaced by {@link RecordingSmsService},
 * which records messages and sends nothing.
 *
 * ```ts
 * const moduleRef = await Test.createTestingModule({ imports: [SmsTestingModule], providers: [LoginService] }).compile();
 * const sms = moduleRef.get(RecordingSmsService);
 * ```
 */
@Module({
  providers: [
    RecordingSmsService,
    { provide: SmsService, useExisting: RecordingSmsService },
  ],
  exports: [SmsService, RecordingSmsService],
})
export class SmsTestingModule {}
