/**
 * Being told of a hand-off in the open console: a browser notification (when the person allowed
 * them) and a short two-tone chime made with Web Audio (no sound file to fetch).
 */
let audio: AudioContext | null = null;

export function notificationsState(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export async function askForNotifications(): Promise<NotificationPermission | 'unsupported'> {
  if (typeof Notification === 'undefined') return 'unsupported';
  // Also unlocks audio: browsers allow sound only after a gesture such as this click.
  audio ??= new AudioContext();
  return Notification.requestPermission();
}

export function chime(): void {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    for (const [i, frequency] of [660, 880].entries()) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, now + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.2, now + i * 0.18 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.18 + 0.16);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(now + i * 0.18);
      oscillator.stop(now + i * 0.18 + 0.17);
    }
  } catch {
    // no audio device: the notification and the banner still tell
  }
}

export function showNotification(title: string, body: string, onClick: () => void): void {
  if (notificationsState() !== 'granted') return;
  const notification = new Notification(title, { body, tag: title });
  notification.onclick = () => {
    window.focus();
    onClick();
    notification.close();
  };
}
