import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles, STAFF } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody, ApiZodQuery } from '../common/openapi-zod';
import { UuidParam } from '../common/uuid-param.pipe';
import { ZodPipe } from '../common/zod-body.pipe';
import {
  createExperimentSchema,
  listExperimentsSchema,
  stopExperimentSchema,
  type CreateExperimentBody,
  type ListExperimentsQuery,
  type StopExperimentBody,
} from './dto/experiment.dto';
import { ExperimentsService } from './experiments.service';

@AdminController('experiments', 'experiments')
export class ExperimentsController {
  constructor(private readonly experiments: ExperimentsService) {}

  @Get()
  @Roles(...STAFF)
  @ApiOperation({ summary: 'A/B tests of reply settings, newest first' })
  @ApiZodQuery(listExperimentsSchema)
  list(@Caller() caller: Principal, @Query(new ZodPipe(listExperimentsSchema)) query: ListExperimentsQuery) {
    return this.experiments.list(tenantOf(caller), query);
  }

  @Post()
  @Roles(...MANAGERS)
  @ApiOperation({
    summary:
      'Start an A/B test of one reply setting (handoffMessage, confidenceThreshold ≥ 0.3, llmProvider, brandVoice): arms with weights, the first the control; each new conversation gets an arm, sticky, recorded in its trace (409 while another runs)',
  })
  @ApiZodBody(createExperimentSchema)
  create(@Caller() caller: Principal, @Body(new ZodPipe(createExperimentSchema)) body: CreateExperimentBody) {
    return this.experiments.create(caller, tenantOf(caller), body);
  }

  @Get(':id')
  @Roles(...STAFF)
  @ApiOperation({
    summary: 'One experiment with results per arm: automated resolution (confirmed / assumed), hand-off, reopen and CSAT, first response time, and the difference to the control with its 95% interval',
  })
  get(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.experiments.get(tenantOf(caller), id);
  }

  @Post(':id/stop')
  @Roles(...MANAGERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop an experiment; `promote` names the arm whose value becomes the tenant’s setting' })
  @ApiZodBody(stopExperimentSchema)
  stop(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPipe(stopExperimentSchema)) body: StopExperimentBody) {
    return this.experiments.stop(caller, tenantOf(caller), id, body);
  }
}
