import { Module } from '@nestjs/common';
import { UpgradeRouter } from './upgrade-router';

/** One UpgradeRouter for the whole gateway: every module that serves a WebSocket imports this. */
@Module({ providers: [UpgradeRouter], exports: [UpgradeRouter] })
export class UpgradeRouterModule {}
