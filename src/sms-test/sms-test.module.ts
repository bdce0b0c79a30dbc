import { Module } from '@nestjs/common';
import { SmsTestController } from './sms-test.controller.js';
import { TestSendDrain } from './test-send.drain.js';

/**
 * The test-send API. Needs `SmsService` (a global `SmsModule`) and the test-send limits
 * (`ThrottlingModule`).
 */
@Module({
  controllers: [SmsTestController],
  providers: [TestSendDrain],
})
export class SmsTestModule {}
