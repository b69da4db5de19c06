import { EnergyVad, VadEvent, levelDb } from './energy-vad';

const FRAME = 160;
const silence = () => Int16Array.from({ length: FRAME }, () => Math.round((Math.random() - 0.5) * 40));
let phase = 0;
const voice = () => Int16Array.from({ length: FRAME }, () => Math.round(8000 * Math.sin((2 * Math.PI * 220 * phase++) / 8000)));

function feed(vad: EnergyVad, pattern: [() => Int16Array, number][]): { events: VadEvent[]; at: number[] } {
  const events: VadEvent[] = [];
  const at: number[] = [];
  let ms = 0;
  for (const [make, frames] of pattern) {
    for (let i = 0; i < frames; i++) {
      ms += 20;
      for (const e of vad.push(make())) {
        events.push(e);
        at.push(ms);
      }
    }
  }
  return { events, at };
}

describe('energy voice-activity detection', () => {
  it('measures a frame in dBFS', () => {
    expect(levelDb(new Int16Array(160))).toBe(-100);
    expect(levelDb(Int16Array.from({ length: 160 }, () => 16384))).toBeCloseTo(-6.02, 1);
  });

  it('hears a sentence between silences and hands it over once the configured silence has passed', () => {
    const vad = new EnergyVad({ endOfSpeechMs: 600 });
    const { events, at } = feed(vad, [[silence, 50], [voice, 60], [silence, 50]]);

    expect(events.map((e) => e.type)).toEqual(['speech-start', 'speech-end']);
    // Speech starts at 1.0 s and is noticed within 60 ms; it ends at 2.2 s and is handed over 600 ms later.
    expect(at[0]).toBeLessThanOrEqual(1000 + 80);
    expect(at[1]).toBe(2200 + 600);
    const end = events[1] as Extract<VadEvent, { type: 'speech-end' }>;
    // The utterance keeps a little audio before and after the speech, not the whole silence.
    expect(end.audio.length / 8000).toBeGreaterThanOrEqual(1.2);
    expect(end.audio.length / 8000).toBeLessThan(1.2 + 0.2 + 0.25);
  });

  it('waits longer before answering when the tenant sets a longer end-of-speech silence', () => {
    const { at } = feed(new EnergyVad({ endOfSpeechMs: 1200 }), [[silence, 20], [voice, 40], [silence, 80]]);
    expect(at[1]).toBe((20 + 40) * 20 + 1200);
  });

  it('keeps listening through a short pause inside a sentence', () => {
    const { events } = feed(new EnergyVad({ endOfSpeechMs: 700 }), [[silence, 20], [voice, 30], [silence, 20], [voice, 30], [silence, 50]]);
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'speech-end']);
  });

  it('drops a click too short to be speech', () => {
    const { events } = feed(new EnergyVad(), [[silence, 20], [voice, 5], [silence, 60]]);
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'noise']);
  });

  it('never mistakes a silent line for speech', () => {
    expect(feed(new EnergyVad(), [[silence, 500]]).events).toEqual([]);
  });
});
