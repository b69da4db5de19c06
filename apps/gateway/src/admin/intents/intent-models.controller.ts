import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles, STAFF } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody, ApiZodQuery } from '../common/openapi-zod';
import { UuidParam } from '../common/uuid-param.pipe';
import { ZodPipe } from '../common/zod-body.pipe';
import { IntentTrainingService, listVersionsSchema, relabelSchema, type ListVersionsQuery, type RelabelBody } from './intent-training.service';

/** Retraining the tenant's intent model from outcomes (issue 18). `training-examples` is declared before `:id` so the router tries it first. */
@AdminController('intent-models', 'intents')
export class IntentModelsController {
  constructor(private readonly training: IntentTrainingService) {}

  @Get()
  @Roles(...STAFF)
  @ApiOperation({
    summary:
      'Retrainings of the intent model, newest first, each with its accuracy on the held-out examples staff labelled (else the confirmed ones) against the model in use then (`previousAccuracy`, `newAccuracy`) and whether it was promoted; `current`: the version in use',
  })
  @ApiZodQuery(listVersionsSchema)
  list(@Caller() caller: Principal, @Query(new ZodPipe(listVersionsSchema)) query: ListVersionsQuery) {
    return this.training.versions(tenantOf(caller), query);
  }

  @Get('training-examples')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Training examples from relabels and confirmed resolutions, newest first (`heldOut`: judged on, never trained on)' })
  @ApiZodQuery(listVersionsSchema)
  examples(@Caller() caller: Principal, @Query(new ZodPipe(listVersionsSchema)) query: ListVersionsQuery) {
    return this.training.examples(tenantOf(caller), query);
  }

  @Post('retrain')
  @Roles(...MANAGERS)
  @HttpCode(202)
  @ApiOperation({ summary: 'Retrain now: queued for the agent, which promotes the new model only if it is no worse on the held-out examples (409 while one waits or runs)' })
  retrain(@Caller() caller: Principal) {
    return this.training.retrain(caller, tenantOf(caller));
  }

  @Get(':id')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'One retraining, with the learned examples it was trained on' })
  get(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.training.version(tenantOf(caller), id);
  }
}

@AdminController('conversations', 'conversations')
export class ConversationIntentController {
  constructor(private readonly training: IntentTrainingService) {}

  @Post(':id/intent')
  @Roles(...STAFF)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Relabel a conversation’s intent (a built-in intent or one of the tenant’s): its customer questions become training examples for the next retraining',
  })
  @ApiZodBody(relabelSchema)
  relabel(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPipe(relabelSchema)) body: RelabelBody) {
    return this.training.relabel(caller, tenantOf(caller), id, body);
  }
}
