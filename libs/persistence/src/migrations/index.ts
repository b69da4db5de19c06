import { Init1795624077024 } from './1795624077024-Init';
import { AdminConsole1795624406081 } from './1795624406081-AdminConsole';
import { WebhookSubscriptions1795626204841 } from './1795626204841-WebhookSubscriptions';
import { KnowledgeImports1795627085494 } from './1795627085494-KnowledgeImports';
import { MessageExternalIdLookup1795626123045 } from './1795626123045-MessageExternalIdLookup';
import { ConversationFeedback1795628203988 } from './1795628203988-ConversationFeedback';
import { EmailSenderCounts1795628400000 } from './1795628400000-EmailSenderCounts';
import { KnowledgeImportHeartbeat1795635062949 } from './1795635062949-KnowledgeImportHeartbeat';
import { DeadLetters1796668863597 } from './1796668863597-DeadLetters';
import { Actions1796670732345 } from './1796670732345-Actions';
import { AttachmentStorage1796679013994 } from './1796679013994-AttachmentStorage';
import { ActionApprovals1796679047936 } from './1796679047936-ActionApprovals';
import { LearningLoop1796680045152 } from './1796680045152-LearningLoop';
import { Experiments1796681841497 } from './1796681841497-Experiments';
import { ConversationFiles1796684323649 } from './1796684323649-ConversationFiles';
import { ArticleVersions1796683604952 } from './1796683604952-ArticleVersions';
import { CannedResponses1796684335795 } from './1796684335795-CannedResponses';
import { ConversationLabels1796684816832 } from './1796684816832-ConversationLabels';
import { UnlinkedFiles1796689000000 } from './1796689000000-UnlinkedFiles';
import { Helpdesk1796690000000 } from './1796690000000-Helpdesk';
import { Retraining1796690288133 } from './1796690288133-Retraining';

/** Every migration, in order. Never edit one that has landed: add a new one. */
export const MIGRATIONS: Function[] = [Init1795624077024, AdminConsole1795624406081, MessageExternalIdLookup1795626123045, WebhookSubscriptions1795626204841, KnowledgeImports1795627085494, ConversationFeedback1795628203988, EmailSenderCounts1795628400000, KnowledgeImportHeartbeat1795635062949, DeadLetters1796668863597, Actions1796670732345, AttachmentStorage1796679013994, ActionApprovals1796679047936, LearningLoop1796680045152, Experiments1796681841497, ArticleVersions1796683604952, ConversationFiles1796684323649, CannedResponses1796684335795, ConversationLabels1796684816832, UnlinkedFiles1796689000000, Helpdesk1796690000000, Retraining1796690288133];
