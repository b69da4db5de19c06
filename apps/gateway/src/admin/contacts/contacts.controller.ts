import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles, STAFF } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody, ApiZodQuery } from '../common/openapi-zod';
import { UuidParam } from '../common/uuid-param.pipe';
import { ZodPatchPipe, ZodPipe } from '../common/zod-body.pipe';
import { ContactPrivacyService } from './contact-privacy.service';
import { ContactsService } from './contacts.service';
import {
  listContactsSchema,
  mergeContactSchema,
  updateContactSchema,
  type ListContactsQuery,
  type MergeContactBody,
  type UpdateContactBody,
} from './dto/contact.dto';

@AdminController('contacts', 'contacts')
export class ContactsController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly privacy: ContactPrivacyService,
  ) {}

  @Get()
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Contacts, newest first; `q` searches names, emails, phones and channel addresses' })
  @ApiZodQuery(listContactsSchema)
  list(@Caller() caller: Principal, @Query(new ZodPipe(listContactsSchema)) query: ListContactsQuery) {
    return this.contacts.list(tenantOf(caller), query);
  }

  @Get(':id')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'A contact with its identities on every channel and its conversations' })
  detail(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.contacts.detail(tenantOf(caller), id);
  }

  @Patch(':id')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Correct a contact’s name, email, phone or company' })
  @ApiZodBody(updateContactSchema)
  update(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPatchPipe(updateContactSchema)) body: UpdateContactBody) {
    return this.contacts.update(caller, tenantOf(caller), id, body);
  }

  @Post(':id/merge')
  @Roles(...STAFF)
  @HttpCode(200)
  @ApiOperation({ summary: 'Merge a duplicate (`contactId`) into this contact: one person across channels' })
  @ApiZodBody(mergeContactSchema)
  merge(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPipe(mergeContactSchema)) body: MergeContactBody) {
    return this.contacts.merge(caller, tenantOf(caller), id, body.contactId);
  }

  @Get(':id/export')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'GDPR export: everything stored about the contact, as JSON' })
  export(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.privacy.export(caller, tenantOf(caller), id);
  }

  @Post(':id/export')
  @Roles(...MANAGERS)
  @HttpCode(201)
  @ApiOperation({
    summary: 'GDPR export kept in file storage: the same JSON, stored, with a short-lived signed link to hand to the person',
    description: '`{ url, expiresAt, size }`. One stored export per contact (a new one replaces it); erasing the contact deletes it.',
  })
  storeExport(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.privacy.storeExport(caller, tenantOf(caller), id);
  }

  @Delete(':id')
  @Roles(...MANAGERS)
  @HttpCode(204)
  @ApiOperation({ summary: 'GDPR erasure: deletes what the contact wrote and who they are; anonymous counts remain' })
  async erase(@Caller() caller: Principal, @Param('id', UuidParam) id: string): Promise<void> {
    await this.privacy.erase(caller, tenantOf(caller), id);
  }
}
