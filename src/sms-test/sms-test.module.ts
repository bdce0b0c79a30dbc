import { Module } from '@nestjs/common';
import { ShutdownModule } from '../shutdown/shutdown.module.js';
import { SmsTestController } from './sms-test.controller.js';

/**
 * The test-send API. Needs `SmsService` (a global `SmsModule`) and the test-send limits
 * (`ThrottlingModule`).
 */
@Module({
  imports: [ShutdownModule],
  controllers: [SmsTestController],
})
export class SmsTestModule {}
