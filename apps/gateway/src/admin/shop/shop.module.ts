import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ShopInstallController } from './shop-install.controller';

@Module({ imports: [AuthModule], controllers: [ShopInstallController] })
export class ShopModule {}
