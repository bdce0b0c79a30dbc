import {
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Query,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SmsMessageRecords } from '@app/sms';
import { RequiresScope } from '../auth/requires-scope.decorator.js';
import { ApiEnvironmentParam } from '../environments/api-environment-param.decorator.js';
import { EnvironmentNamePipe } from '../environments/environment-name.pipe.js';
import { ErrorResponseDto } from '../errors/error-response.dto.js';
import { MessageListQueryDto } from './message-list-query.dto.js';
import {
  MessageRecordDto,
  MessageRecordListDto,
  toMessageRecordDto,
} from './message-record.dto.js';

const DEFAULT_LIMIT = 20;
const ApiMessageIdParam = () =>
  ApiParam({
    name: 'id',
    description: 'The id a send answered with.',
    format: 'uuid',
  });

// An id that is no UUID is a message nobody has: the same 404 as an unknown one.
const messageId = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () => new NotFoundException('No message with that id.'),
});

/**
 * The message records: one by id, or the latest of a number, for the site's sends or an
 * environment's. Needs the `read` scope.
 */
@ApiTags('Messages')
@ApiBearerAuth()
@ApiUnauthorizedResponse({
  type: ErrorResponseDto,
  description: 'No API key, or not a valid one.',
})
@ApiForbiddenResponse({
  type: ErrorResponseDto,
  description: 'The key may not read messages.',
})
@Controller()
@UsePipes(
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
  }),
)
export class MessagesController {
  constructor(private readonly records: SmsMessageRecords) {}

  /** The record of a site send. */
  @Get('sms/messages/:id')
  @RequiresScope('read')
  @ApiOperation({ summary: 'The record of a site send' })
  @ApiMessageIdParam()
  @ApiOkResponse({ type: MessageRecordDto, description: 'The record.' })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'No site send has that id.',
  })
  getSiteMessage(
    @Param('id', messageId) id: string,
  ): Promise<MessageRecordDto> {
    return this.one(id, null);
  }

  /** The record of an environment's send. */
  @Get('environments/:environment/sms/messages/:id')
  @RequiresScope('read')
  @ApiOperation({ summary: "The record of an environment's send" })
  @ApiEnvironmentParam()
  @ApiMessageIdParam()
  @ApiOkResponse({ type: MessageRecordDto, description: 'The record.' })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'No send of that environment has that id.',
  })
  getEnvironmentMessage(
    @Param('environment', EnvironmentNamePipe) environment: string,
    @Param('id', messageId) id: string,
  ): Promise<MessageRecordDto> {
    return this.one(id, environment);
  }

  /** The latest site sends to a number. */
  @Get('sms/messages')
  @RequiresScope('read')
  @ApiOperation({ summary: 'The latest site sends to a number, newest first' })
  @ApiOkResponse({ type: MessageRecordListDto, description: 'The records.' })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'No valid phone or limit.',
  })
  listSiteMessages(
    @Query() query: MessageListQueryDto,
  ): Promise<MessageRecordListDto> {
    return this.list(query, null);
  }

  /** The latest sends of an environment to a number. */
  @Get('environments/:environment/sms/messages')
  @RequiresScope('read')
  @ApiOperation({
    summary: 'The latest sends of an environment to a number, newest first',
  })
  @ApiEnvironmentParam()
  @ApiOkResponse({ type: MessageRecordListDto, description: 'The records.' })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'No valid phone or limit.',
  })
  listEnvironmentMessages(
    @Param('environment', EnvironmentNamePipe) environment: string,
    @Query() query: MessageListQueryDto,
  ): Promise<MessageRecordListDto> {
    return this.list(query, environment);
  }

  private async one(
    id: string,
    environment: string | null,
  ): Promise<MessageRecordDto> {
    const record = await this.records.get(id, environment);
    if (!record) throw new NotFoundException('No message with that id.');
    return toMessageRecordDto(record);
  }

  private async list(
    query: MessageListQueryDto,
    environment: string | null,
  ): Promise<MessageRecordListDto> {
    const records = await this.records.listByPhone({
      phone: query.phone,
      environment,
      limit: query.limit ?? DEFAULT_LIMIT,
    });
    return { items: records.map(toMessageRecordDto) };
  }
}
