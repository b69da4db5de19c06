import { Module } from '@nestjs/common';
import { FilesController } from './files.controller';

/** `/files/...`: signed downloads of locally stored files (STORAGE_DRIVER=local). */
@Module({ controllers: [FilesController] })
export class FilesModule {}
