import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ChannelAccountsController, ConnectorsController } from './channel-accounts.controller';
import { ChannelAccountsService } from './channel-accounts.service';
import { ConnectorCatalogClient } from './connector-catalog.client';

@Module({
  imports: [AuthModule],
  controllers: [ChannelAccountsController, ConnectorsController],
  providers: [ChannelAccountsService, ConnectorCatalogClient],
})
export class ChannelAccountsModule {}
