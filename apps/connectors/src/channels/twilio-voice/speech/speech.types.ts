/** Files of a recognizer's language model and pronunciation dictionary. */
export interface LanguageModelFiles {
  lm: string;
  dict: string;
}

/** Speech to text behind one interface: pocketsphinx offline, the Whisper API when a key is set. */
export interface SpeechToText {
  readonly name: string;
  /** 8 kHz 16-bit mono PCM of one utterance. */
  transcribe(pcm8k: Int16Array, opts?: { languageModel?: LanguageModelFiles }): Promise<string>;
}

/** Text to speech behind one interface: flite / espeak-ng offline, ElevenLabs when a key is set. */
export interface TextToSpeech {
  readonly name: string;
  /** 8 kHz μ-law, the format of a Twilio Media Stream. */
  synthesize(text: string): Promise<Buffer>;
  /** The same audio in chunks as they are made, when the provider streams. */
  stream?(text: string): AsyncIterable<Buffer>;
}
