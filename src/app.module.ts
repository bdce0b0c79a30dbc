import { Module } from '@nestjs/common';
import { SmsService } from '@app/sms';
import { Dep } from '@app/sms/dep.js';
@Module({ providers: [SmsService, Dep] })
export class AppModule {}
