import 'reflect-metadata';
import { Transform } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateBy,
  type ValidationArguments,
} from 'class-validator';
import { deliveryReportUrlProblem } from '@app/sms';
import { toNumber } from '../config/settings-value.transforms.js';

/** Records older than this many days are deleted, unless configured otherwise. */
export const DEFAULT_MESSAGE_RETENTION_DAYS = 30;
const MAX_RETENTION_DAYS = 3650;

/** `Settings:DeliveryReports`. */
export class DeliveryReportsSettings {
  /**
   * The service's base URL as providers reach it (https; http only for a loopback host).
   * @default none: no delivery reports are asked for
   */
  @IsOptional()
  @ValidateBy(
    {
      name: 'isPublicUrl',
      validator: { validate: (value) => !deliveryReportUrlProblem(value) },
    },
    {
      message: (args: ValidationArguments) =>
        `The field ${args.property} ${deliveryReportUrlProblem(args.value) ?? ''}.`,
    },
  )
  PublicUrl?: string;
}

/** `Settings:Messages`. */
export class MessagesSettings {
  /** Days a message record is kept. @default 30 */
  @IsOptional()
  @Transform(toNumber)
  @IsInt({ message: 'The field RetentionDays must be a whole number.' })
  @Min(1, { message: 'The field RetentionDays must be at least 1.' })
  @Max(MAX_RETENTION_DAYS, {
    message: `The field RetentionDays must be at most ${MAX_RETENTION_DAYS}.`,
  })
  RetentionDays?: number;
}

/** The keys of both sections, for the key canonicalizer. */
export const MESSAGES_SETTINGS_KEY_NAMES = [
  'DeliveryReports',
  'PublicUrl',
  'Messages',
  'RetentionDays',
] as const;

/** Message records and delivery reports, as the service runs them. */
export interface MessagesConfig {
  /** `Settings:DeliveryReports:PublicUrl`, without a trailing slash; undefined when unset. */
  publicUrl?: string;
  /** `Settings:Messages:RetentionDays`. @default 30 */
  retentionDays: number;
}

/** The validated sections as the service's `messages` configuration. */
export function toMessagesConfig(
  reports: DeliveryReportsSettings | undefined,
  messages: MessagesSettings | undefined,
): MessagesConfig {
  return {
    publicUrl: reports?.PublicUrl?.replace(/\/+$/, ''),
    retentionDays: messages?.RetentionDays ?? DEFAULT_MESSAGE_RETENTION_DAYS,
  };
}
