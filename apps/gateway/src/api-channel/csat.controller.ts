import { Body, Controller, HttpCode, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiZodBody } from '../admin/common/openapi-zod';
import { ApiKeyGuard, ApiTenantId } from './api-key.guard';
import { uuidParamSchema } from './api-channel.schemas';
import { CsatService, csatBodySchema, type CsatView } from './csat.service';

/** Customer satisfaction, sent by the shop's server with its API key; counted in the console's analytics (`csat`). */
@ApiTags('api-channel')
@ApiBearerAuth()
@Controller('api/v1/channels/api')
@UseGuards(ApiKeyGuard)
export class CsatController {
  constructor(private readonly csat: CsatService) {}

  @Post('conversations/:id/csat')
  @HttpCode(200)
  @ApiOperation({ summary: "Record the customer's satisfaction rating (1–5) of a conversation; a new rating replaces the earlier one" })
  @ApiZodBody(csatBodySchema)
  rate(@ApiTenantId() tenantId: string, @Param('id') id: string, @Body() body: unknown): Promise<CsatView> {
    if (!uuidParamSchema.safeParse(id).success) throw new NotFoundException(`no conversation ${id}`);
    return this.csat.rate(tenantId, id, body);
  }
}
