import { Tenant } from './tenant.entity';
import { User } from './user.entity';
import { ApiKey } from './api-key.entity';
import { ChannelAccount } from './channel-account.entity';
import { Contact, ContactIdentity } from './contact.entity';
import { Conversation } from './conversation.entity';
import { Attachment, Message } from './message.entity';
import { KnowledgeArticle, KnowledgeArticleVersion, KnowledgeChunk } from './knowledge.entity';
import { ConnectorCursor, EmailSenderCount, IdempotencyKey } from './infra.entity';
import { AuditLog, KnowledgeImport, RefreshToken, WebhookSubscription } from './admin.entity';
import { ConversationFeedback } from './conversation-feedback.entity';
import { DeadLetter } from './dead-letter.entity';
import { ActionBackendAccount, ActionCall, ActionFlow } from './action.entity';
import { CannedResponse } from './canned-response.entity';
import { NotificationDelivery, Team, TeamMember } from './team.entity';
import { Experiment, KnowledgeGap, KnowledgeGapQuestion, SuggestedArticle } from './learning.entity';
import { ConversationReopen, IntentModelVersion, IntentTrainingExample } from './retraining.entity';

export * from './tenant.entity';
export * from './user.entity';
export * from './api-key.entity';
export * from './channel-account.entity';
export * from './contact.entity';
export * from './conversation.entity';
export * from './message.entity';
export * from './knowledge.entity';
export * from './infra.entity';
export * from './admin.entity';
export * from './conversation-feedback.entity';
export * from './dead-letter.entity';
export * from './action.entity';
export * from './learning.entity';
export * from './canned-response.entity';
export * from './team.entity';
export * from './retraining.entity';

export const ENTITIES = [
  Tenant,
  User,
  ApiKey,
  ChannelAccount,
  Contact,
  ContactIdentity,
  Conversation,
  Message,
  Attachment,
  KnowledgeArticle,
  KnowledgeArticleVersion,
  KnowledgeChunk,
  ConnectorCursor,
  IdempotencyKey,
  RefreshToken,
  AuditLog,
  WebhookSubscription,
  KnowledgeImport,
  ConversationFeedback,
  EmailSenderCount,
  DeadLetter,
  ActionBackendAccount,
  ActionFlow,
  ActionCall,
  KnowledgeGap,
  KnowledgeGapQuestion,
  SuggestedArticle,
  Experiment,
  CannedResponse,
  Team,
  TeamMember,
  NotificationDelivery,
  IntentTrainingExample,
  IntentModelVersion,
  ConversationReopen,
];
