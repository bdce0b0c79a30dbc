import { SetMetadata } from '@nestjs/common';

/** Metadata key of {@link Public}. */
export const IS_PUBLIC_KEY = 'nest-sms:public';

/** Opens a controller or route to callers without an API key (`/health`). */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
