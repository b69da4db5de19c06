import { decodeMulaw, decodeSample, encodeMulaw, encodeSample, toFrames, upsample2x, wavFile } from './mulaw';

describe('G.711 μ-law', () => {
  it('encodes silence as 0xFF and full scale as the extreme codes, as the standard does', () => {
    expect(encodeSample(0)).toBe(0xff);
    expect(encodeSample(32767)).toBe(0x80);
    expect(encodeSample(-32768)).toBe(0x00);
    expect(decodeSample(0xff)).toBe(0);
    expect(decodeSample(0x80)).toBe(32124);
    expect(decodeSample(0x00)).toBe(-32124);
  });

  it('round-trips a tone within the companding error (a few percent of the amplitude)', () => {
    const tone = Int16Array.from({ length: 800 }, (_, i) => Math.round(12000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
    const back = decodeMulaw(encodeMulaw(tone));
    for (let i = 0; i < tone.length; i++) expect(Math.abs(back[i] - tone[i])).toBeLessThanOrEqual(Math.max(8, Math.abs(tone[i]) * 0.04));
  });

  it('cuts audio into whole 20 ms frames of 160 bytes, padding the last with silence', () => {
    const frames = toFrames(Buffer.alloc(400, 0x10));
    expect(frames.map((f) => f.length)).toEqual([160, 160, 160]);
    expect(frames[2].subarray(80).every((b) => b === 0xff)).toBe(true);
  });

  it('doubles the sample rate by interpolation and writes a playable WAV header', () => {
    expect(Array.from(upsample2x(Int16Array.from([0, 100, 200])))).toEqual([0, 50, 100, 150, 200, 200]);
    const wav = wavFile(Int16Array.from([1, 2, 3]), 16000);
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(16000);
    expect(wav.readUInt32LE(40)).toBe(6);
    expect(wav.length).toBe(50);
  });
});
