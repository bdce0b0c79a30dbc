import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Put,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SmsSettingsError, type MaskedSmsSettings } from '@app/sms';
import { ErrorResponseDto } from '../errors/error-response.dto.js';
import {
  EnvironmentSmsSettingsDto,
  MaskedSmsSettingsDto,
} from './environment-sms-settings.dto.js';
import { EnvironmentNamePipe } from './environment-name.pipe.js';
import { EnvironmentSettingsService } from './environment-settings.service.js';
import { ApiEnvironmentParam } from './api-environment-param.decorator.js';
import { ApiKeyName } from '../auth/api-key-name.decorator.js';
import { RequiresScope } from '../auth/requires-scope.decorator.js';

/**
 * The admin API of environments' own SMS settings. When an environment has settings they replace
 * the site's as a whole for its sends, on every instance sharing the store, from its next send on.
 */
@ApiTags('Environment settings')
@ApiBearerAuth()
@ApiEnvironmentParam()
@ApiBadRequestResponse({
  type: ErrorResponseDto,
  description:
    'An invalid environment name, or settings that fail validation (every field listed).',
})
@ApiUnauthorizedResponse({
  type: ErrorResponseDto,
  description: 'No API key, or not a valid one.',
})
@Controller('environments/:environment/sms')
export class EnvironmentSettingsController {
  constructor(private readonly settings: EnvironmentSettingsService) {}

  /** Sets the environment's settings, replacing any it had. */
  @Put()
  @RequiresScope('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Set an environment's SMS settings",
    description:
      'Validates the settings (camelCase, as providers.md describes them) and stores them, replacing any the environment had as a whole; its next send on every instance uses them. Secrets are encrypted at rest and never returned. An API URL on a private network is refused unless Settings:Security:AllowPrivateNetworkUrls is true.',
  })
  @ApiBody({ type: EnvironmentSmsSettingsDto })
  @ApiOkResponse({
    type: MaskedSmsSettingsDto,
    description: 'The settings as stored, masked.',
  })
  async put(
    @Param('environment', EnvironmentNamePipe) environment: string,
    // Not a DTO type: a global ValidationPipe must leave the body to the settings validation.
    @Body() body: unknown,
    @ApiKeyName() changedBy: string | undefined,
  ): Promise<MaskedSmsSettings> {
    try {
      return (await this.settings.put(environment, body, changedBy)).settings;
    } catch (error) {
      if (error instanceof SmsSettingsError) {
        throw new BadRequestException(
          error.problems.map(
            (problem) => `${problem.path}: ${problem.message}`,
          ),
        );
      }
      throw error;
    }
  }

  /** The environment's settings, masked. */
  @Get()
  @RequiresScope('read')
  @ApiOperation({
    summary: "Read an environment's SMS settings (masked)",
    description:
      "The stored settings without their secrets: hasClientSecret and a parameter's hasValue say that a secret is set, and a Telia client certificate is described (subject, issuer, validity, SHA-256 fingerprint).",
  })
  @ApiOkResponse({ type: MaskedSmsSettingsDto })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'The environment has no settings.',
  })
  async get(
    @Param('environment', EnvironmentNamePipe) environment: string,
  ): Promise<MaskedSmsSettings> {
    const settings = await this.settings.get(environment);
    if (!settings) throw notFound(environment);
    return settings;
  }

  /** Removes the environment's settings; the site's apply again. */
  @Delete()
  @RequiresScope('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: "Remove an environment's SMS settings",
    description:
      "Removes the environment's own settings; its sends use the site's settings again.",
  })
  @ApiNoContentResponse({
    description: "Removed; the site's settings apply again.",
  })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'The environment had no settings.',
  })
  async delete(
    @Param('environment', EnvironmentNamePipe) environment: string,
    @ApiKeyName() changedBy: string | undefined,
  ): Promise<void> {
    if (!(await this.settings.delete(environment, changedBy)))
      throw notFound(environment);
  }
}

function notFound(environment: string): NotFoundException {
  return new NotFoundException(
    `The environment ${environment} has no SMS settings.`,
  );
}
