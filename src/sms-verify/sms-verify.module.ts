import { Module } from '@nestjs/common';
import { SmsVerifyController } from './sms-verify.controller.js';

/**
 * The connection check API: `POST /sms/verify` and `POST /environments/{environment}/sms/verify`.
 * Needs `SmsConnectionVerifier` from a global `SmsModule`.
 */
@Module({ controllers: [SmsVerifyController] })
export class SmsVerifyModule {}
