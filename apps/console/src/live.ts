import { authorizedFetch } from './api';

export interface LiveEvent {
  type: 'message' | 'handoff' | 'conversation' | 'ping';
  data: { conversationId?: string; status?: string; channel?: string; detail?: Record<string, unknown> };
}

/**
 * The live inbox (`GET /api/v1/stream`, server-sent events) read with fetch, because EventSource
 * cannot send the Authorization header. Reconnects after a drop; `stop()` ends it.
 */
export function openLiveStream(onEvent: (event: LiveEvent) => void, onState: (connected: boolean) => void): () => void {
  const abort = new AbortController();
  let retryMs = 1000;

  const run = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      try {
        const response = await authorizedFetch('/api/v1/stream', { headers: { Accept: 'text/event-stream' }, signal: abort.signal });
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        onState(true);
        retryMs = 1000;
        await readEvents(response.body, onEvent);
      } catch {
        // dropped or refused: try again below unless stopped
      }
      onState(false);
      if (abort.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(retryMs * 2, 15_000);
    }
  };
  run().catch(() => onState(false));
  return () => abort.abort();
}

async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: LiveEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) type = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (!data.length) continue;
      try {
        onEvent({ type: type as LiveEvent['type'], data: JSON.parse(data.join('\n')) as LiveEvent['data'] });
      } catch {
        // not JSON: nothing the console can use
      }
    }
  }
}
