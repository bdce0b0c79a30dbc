import { Module } from '@nestjs/common';
import { SmsTestController } from './sms-test.controller.js';

/**
 * The test-send API. Needs `SmsService` (a global `SmsModule`) and the test-send limits
 * (`ThrottlingModule`).
 */
@Module({
  controllers: [SmsTestController],
})
export class SmsTestModule {}
