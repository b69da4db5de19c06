import { ConnectorError } from '@cs/contracts';

const AUTH_ERRORS = new Set(['invalid_auth', 'account_inactive', 'token_revoked', 'token_expired', 'not_authed', 'no_permission', 'missing_scope', 'team_access_not_granted']);
const CHANNEL_ERRORS = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action', 'ekm_access_denied']);
const TEMPORARY_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

interface SlackSdkError {
  code?: string;
  data?: { error?: string; needed?: string };
  retryAfter?: number;
  statusCode?: number;
  message?: string;
}

/**
 * Translates what @slack/web-api throws into our codes, at the edge (Twenty's habit): the
 * dispatcher's one policy then retries, waits out the rate limit, or marks the channel failed.
 * The reason names Slack's own error code so the admin can look it up.
 */
export function toConnectorError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const e = (err ?? {}) as SlackSdkError;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return new ConnectorError('RATE_LIMITED', `Slack rate limit, retry after ${e.retryAfter ?? 1} s`, Math.max(1, e.retryAfter ?? 1) * 1000);
    case 'slack_webapi_platform_error': {
      const code = e.data?.error ?? 'unknown_error';
      if (AUTH_ERRORS.has(code)) {
        const needed = e.data?.needed ? ` (needs scope ${e.data.needed})` : '';
        return new ConnectorError('AUTH', `Slack refused the bot token: ${code}${needed}`);
      }
      if (CHANNEL_ERRORS.has(code)) return new ConnectorError('PERMANENT', `Slack channel unavailable: ${code} (invite the bot to the channel)`);
      if (code === 'ratelimited') return new ConnectorError('RATE_LIMITED', 'Slack rate limit', 1000);
      if (TEMPORARY_ERRORS.has(code)) return new ConnectorError('TEMPORARY', `Slack error: ${code}`);
      return new ConnectorError('PERMANENT', `Slack error: ${code}`);
    }
    case 'slack_webapi_http_error':
      return (e.statusCode ?? 500) >= 500
        ? new ConnectorError('TEMPORARY', `Slack answered HTTP ${e.statusCode}`)
        : new ConnectorError('PERMANENT', `Slack answered HTTP ${e.statusCode}`);
    case 'slack_webapi_request_error':
      return new ConnectorError('TEMPORARY', 'Slack could not be reached');
    default:
      return new ConnectorError('TEMPORARY', 'unexpected error talking to Slack');
  }
}
