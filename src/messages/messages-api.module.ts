import { Module } from '@nestjs/common';
import { DeliveryReportsController } from './delivery-reports.controller.js';
import { MessagesController } from './messages.controller.js';

/**
 * The message API (`GET …/sms/messages…`) and the delivery report route. Needs a global
 * `SmsModule` whose `messages` option comes from {@link MessageRecordStoreModule}.
 */
@Module({ controllers: [MessagesController, DeliveryReportsController] })
export class MessagesApiModule {}
