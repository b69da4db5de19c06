import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { BusSubjects, conversationEventSchema } from '@cs/contracts';
import { Bus, Subscription } from '@cs/messaging';
import { ChannelAccountService } from '../../registry/channel-account.service';
import { TWILIO_VOICE_CONNECTOR_ID, twilioVoiceSettingsSchema } from './twilio-voice.definition';

export type TransferCall = (settings: ReturnType<typeof twilioVoiceSettingsSchema.parse>, callSid: string, to: string | undefined, reason: string) => Promise<void>;

/**
 * When the agent hands a phone conversation to a person (`conv.handoff.*`), the call itself is
 * handed over: a warm transfer to the tenant's number, with the agent's summary and the
 * transcript already on the conversation for whoever picks up.
 */
export class VoiceHandoffs {
  private readonly logger = new Logger('TwilioVoiceHandoffs');
  private sub?: Subscription;

  constructor(
    private readonly bus: Bus,
    private readonly dataSource: DataSource,
    private readonly accounts: ChannelAccountService,
    private readonly transfer: TransferCall,
  ) {}

  async start(): Promise<void> {
    this.sub = await this.bus.consume(
      { durable: 'connector-twilio-voice-handoff', filterSubjects: [BusSubjects.convEventAll('handoff')], maxDeliver: 3, backoffMs: [500, 2000] },
      async (message) => {
        const event = conversationEventSchema.safeParse(message.envelope.data);
        if (!event.success || event.data.channel !== 'voice' || !event.data.externalThreadId) return;
        await this.handOver(message.envelope.tenantId, event.data.conversationId, event.data.externalThreadId, event.data.messageId);
      },
    );
  }

  async stop(): Promise<void> {
    await this.sub?.unsubscribe().catch(() => undefined);
  }

  private async handOver(tenantId: string, conversationId: string, callSid: string, replyId: string | undefined): Promise<void> {
    if (replyId && (await this.alreadyTransferred(replyId))) return;
    const rows: { channel_account_id: string | null; connector_id: string }[] = await this.dataSource.query(
      'SELECT channel_account_id, connector_id FROM conversations WHERE id = $1 AND tenant_id = $2',
      [conversationId, tenantId],
    );
    const accountId = rows[0]?.channel_account_id;
    if (!accountId || rows[0].connector_id !== TWILIO_VOICE_CONNECTOR_ID) return;
    const account = await this.accounts.findById(accountId);
    if (!account || account.tenantId !== tenantId) return;
    const settings = twilioVoiceSettingsSchema.parse(this.accounts.toRef(account).settings);
    if (!settings.transferNumber) {
      this.logger.warn(`call ${callSid}: handed off to a person, but the channel has no transfer number`);
      return;
    }
    await this.transfer(settings, callSid, settings.phoneNumbers[0], 'agent handoff');
  }

  /** The caller pressed 0 or asked for a person: the call was transferred before the agent handed off. */
  private async alreadyTransferred(replyId: string): Promise<boolean> {
    const rows: { transferred: boolean | null }[] = await this.dataSource.query(
      `SELECT (i.channel_data ->> 'transferredToPerson')::boolean AS transferred
         FROM messages r JOIN messages i ON i.id = r.reply_to_message_id WHERE r.id = $1`,
      [replyId],
    );
    return rows[0]?.transferred === true;
  }
}
