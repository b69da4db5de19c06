import { Module } from '@nestjs/common';
import { DemoSiteService } from './demo-site.service';
import { PagesController } from './pages.controller';

@Module({ controllers: [PagesController], providers: [DemoSiteService], exports: [DemoSiteService] })
export class PagesModule {}
