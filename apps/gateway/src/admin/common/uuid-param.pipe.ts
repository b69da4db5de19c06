import { BadRequestException, NotFoundException, PipeTransform } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that is not a UUID names nothing: 404, like an id of another tenant (never a database error). */
export class UuidParam implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw new NotFoundException('no such record');
    return value.toLowerCase();
  }
}

/** A version number in a path: a positive whole number, else 400 naming it. */
export class VersionParam implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9]\d{0,8}$/.test(value)) throw new BadRequestException('version must be a positive whole number');
    return Number(value);
  }
}
