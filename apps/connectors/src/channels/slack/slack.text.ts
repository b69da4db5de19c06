/**
 * Slack's message text is "mrkdwn" with escaped `&`, `<`, `>` and angle-bracket entities:
 * `<@U123>`, `<#C123|general>`, `<https://x.y|label>`. The agent reads plain text.
 */
export function slackToPlainText(text: string, botUserId?: string): string {
  return text
    .replace(/<@([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => (id === botUserId ? '' : label ? `@${label}` : `@${id}`))
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<(?:mailto:)?([^>|]+)\|([^>]+)>/g, '$2')
    .replace(/<([^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

/** Our text in Slack: only the three characters Slack reserves are escaped. */
export function escapeForSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function mentions(text: string | undefined, userId: string | undefined): boolean {
  return !!text && !!userId && text.includes(`<@${userId}`);
}
