import { ElevenLabsTts } from './elevenlabs.tts';
import { OfflineTts } from './offline.tts';
import { PocketsphinxStt } from './pocketsphinx.stt';
import type { SpeechToText, TextToSpeech } from './speech.types';
import { WhisperStt } from './whisper.stt';

/** The env variables that choose the speech providers (connectors or embedded app). */
export interface SpeechEnv {
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  WHISPER_MODEL?: string;
  ELEVENLABS_API_KEY?: string;
  ELEVENLABS_BASE_URL?: string;
  ELEVENLABS_VOICE_ID?: string;
  ELEVENLABS_MODEL?: string;
}

/** Whisper when an OpenAI key is set; offline pocketsphinx otherwise. */
export function speechToTextFor(env: SpeechEnv = {}): SpeechToText {
  if (env.OPENAI_API_KEY) return new WhisperStt({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL, model: env.WHISPER_MODEL });
  return new PocketsphinxStt();
}

/** ElevenLabs when a key and a voice are set; offline flite / espeak-ng otherwise (with the channel's voice). */
export function textToSpeechFor(env: SpeechEnv = {}): (offlineVoice: string) => TextToSpeech {
  if (env.ELEVENLABS_API_KEY && env.ELEVENLABS_VOICE_ID) {
    const tts = new ElevenLabsTts({ apiKey: env.ELEVENLABS_API_KEY, baseUrl: env.ELEVENLABS_BASE_URL, voiceId: env.ELEVENLABS_VOICE_ID, modelId: env.ELEVENLABS_MODEL });
    return () => tts;
  }
  return (voice) => new OfflineTts(voice);
}
