/**
 * G.711 μ-law, the audio of a phone call and of Twilio Media Streams: 8 kHz, 8 bits a sample,
 * 20 ms (160 bytes) a frame. Pure functions over typed arrays.
 */
export const SAMPLE_RATE = 8000;
export const FRAME_MS = 20;
export const FRAME_BYTES = (SAMPLE_RATE * FRAME_MS) / 1000;

const BIAS = 0x84;
const CLIP = 32635;

export function encodeSample(sample: number): number {
  let s = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function decodeSample(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const sample = (((u & 0x0f) << 3) + BIAS) << exponent;
  return u & 0x80 ? BIAS - sample : sample - BIAS;
}

const DECODE_TABLE = Int16Array.from({ length: 256 }, (_, b) => decodeSample(b));

export function decodeMulaw(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = DECODE_TABLE[bytes[i]];
  return out;
}

export function encodeMulaw(pcm: Int16Array): Buffer {
  const out = Buffer.alloc(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = encodeSample(pcm[i]);
  return out;
}

/** 20 ms frames of μ-law; the last one padded with μ-law silence (0xFF) so every frame is whole. */
export function toFrames(mulaw: Buffer, frameBytes = FRAME_BYTES): Buffer[] {
  const frames: Buffer[] = [];
  for (let i = 0; i < mulaw.length; i += frameBytes) {
    const frame = Buffer.alloc(frameBytes, 0xff);
    mulaw.copy(frame, 0, i, Math.min(i + frameBytes, mulaw.length));
    frames.push(frame);
  }
  return frames;
}

/** Doubles the sample rate by linear interpolation (8 kHz → 16 kHz for recognizers trained on wideband). */
export function upsample2x(pcm: Int16Array): Int16Array {
  const out = new Int16Array(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) {
    const next = i + 1 < pcm.length ? pcm[i + 1] : pcm[i];
    out[2 * i] = pcm[i];
    out[2 * i + 1] = (pcm[i] + next) >> 1;
  }
  return out;
}

/** A mono 16-bit PCM WAV file. */
export function wavFile(pcm: Int16Array, sampleRate: number): Buffer {
  const data = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
