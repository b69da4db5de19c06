import { z } from 'zod';
import type { MediaStreamOpenReply, MediaStreamOutboundFrame } from '@cs/contracts';

/**
 * Twilio Media Streams messages (https://www.twilio.com/docs/voice/media-streams/websocket-messages),
 * as the gateway relays them on `stream.twilio-voice.<streamId>.in` and takes them back on `.out`.
 */
export const inboundFrameSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('connected'), protocol: z.string().optional(), version: z.string().optional() }),
  z.object({
    event: z.literal('start'),
    streamSid: z.string(),
    start: z.object({
      streamSid: z.string(),
      callSid: z.string(),
      accountSid: z.string().optional(),
      customParameters: z.record(z.string(), z.string()).default({}),
    }),
  }),
  z.object({
    event: z.literal('media'),
    streamSid: z.string().optional(),
    media: z.object({ payload: z.string(), track: z.string().optional(), timestamp: z.string().optional() }),
  }),
  z.object({ event: z.literal('dtmf'), streamSid: z.string().optional(), dtmf: z.object({ digit: z.string(), track: z.string().optional() }) }),
  z.object({ event: z.literal('mark'), streamSid: z.string().optional(), mark: z.object({ name: z.string() }) }),
  z.object({ event: z.literal('stop'), streamSid: z.string().optional() }),
]);
export type InboundFrame = z.infer<typeof inboundFrameSchema>;

/** The frames the gateway sends on to Twilio (`close` is ours: it closes the WebSocket). */
export type OutboundFrame = MediaStreamOutboundFrame;

/** What the gateway asks on `stream.<connectorId>.open` when a Media Stream WebSocket connects. */
export const openStreamSchema = z.object({
  streamId: z.string().regex(/^[^\s.*>]+$/),
  channelAccountId: z.string().uuid(),
  url: z.string(),
  headers: z.record(z.string(), z.string()).default({}),
});
export type OpenStreamRequest = z.infer<typeof openStreamSchema>;

export type OpenStreamReply = MediaStreamOpenReply;
