import { textOf, type MessagePart, type OutboundMessage } from '@cs/contracts';
import { SLACK_MAX_TEXT } from './slack.definition';
import { ACTION_CSAT_PREFIX, ACTION_HANDOFF, ACTION_RESOLVED } from './slack.parse';
import { escapeForSlack } from './slack.text';

/** The Block Kit shapes we send (a subset of Slack's; see api.slack.com/reference/block-kit). */
export type SlackBlock =
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] }
  | {
      type: 'actions';
      block_id: string;
      elements: { type: 'button'; action_id: string; text: { type: 'plain_text'; text: string; emoji: boolean }; value: string; style?: 'primary' }[];
    };

export interface SlackReply {
  /** Plain text: what notifications and screen readers show. */
  text: string;
  blocks: SlackBlock[];
}

/**
 * An answer in Slack: the text, its sources as links, and, under the agent's knowledge-base
 * answers to customers, the two buttons. Hand-off notes, people's replies and internal answers
 * get no buttons: there is nothing for the customer to confirm.
 */
export function renderSlackReply(message: OutboundMessage): SlackReply {
  const text = cut(textOf(message.parts) || sourceTitles(message.parts) || ' ', SLACK_MAX_TEXT);
  const blocks: SlackBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: escapeForSlack(text) } }];
  const sources = message.parts.filter((p): p is Extract<MessagePart, { type: 'source' }> => p.type === 'source');
  if (sources.length) {
    const links = sources.map((s) => (s.url ? `<${s.url}|${escapeForSlack(s.title)}>` : escapeForSlack(s.title)));
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Sources: ${links.join(' · ')}` }] });
  }
  const internal = message.channelData.internal === true;
  const survey = message.parts.find((p): p is Extract<MessagePart, { type: 'actions' }> => p.type === 'actions' && p.actions.every((a) => /^csat:[1-5]$/.test(a.id)));
  if (survey && !internal) {
    // The satisfaction question: one button per rating.
    blocks.push({
      type: 'actions',
      block_id: 'cs_csat',
      elements: survey.actions.map((a) => ({
        type: 'button' as const,
        action_id: `${ACTION_CSAT_PREFIX}${a.id.slice('csat:'.length)}`,
        text: { type: 'plain_text' as const, text: a.label, emoji: true },
        value: message.messageId,
      })),
    });
  } else if (internal) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: ':lock: Internal answer from the knowledge base, for staff only.' }] });
  } else if (message.authorKind === 'bot' && sources.length) {
    blocks.push({
      type: 'actions',
      block_id: 'cs_feedback',
      elements: [
        { type: 'button', action_id: ACTION_RESOLVED, text: { type: 'plain_text', text: 'This solved it', emoji: true }, value: message.messageId, style: 'primary' },
        { type: 'button', action_id: ACTION_HANDOFF, text: { type: 'plain_text', text: 'Talk to a person', emoji: true }, value: message.messageId },
      ],
    });
  }
  return { text, blocks };
}

function sourceTitles(parts: MessagePart[]): string {
  return parts.flatMap((p) => (p.type === 'source' ? [p.title] : [])).join(', ');
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
