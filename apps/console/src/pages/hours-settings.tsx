import { useEffect, useState } from 'preact/hooks';
import { api, background, messageOf } from '../api';

const DAYS = [
  ['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'], ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday'],
] as const;
type Day = (typeof DAYS)[number][0];

interface HelpdeskSettings {
  timezone?: string;
  businessHours?: Partial<Record<Day, [string, string][]>>;
  slaMinutes?: number;
  autoCloseAfterHours?: number;
}

/**
 * Business hours (every channel reads them: voice takes voicemails, a hand-off says when a person
 * will answer), the SLA and auto-close (owners and admins). One opening interval per day here; the
 * API takes up to four.
 */
export function HoursSettings() {
  const [hours, setHours] = useState<Record<Day, { open: boolean; from: string; to: string }>>(
    Object.fromEntries(DAYS.map(([d]) => [d, { open: false, from: '09:00', to: '17:00' }])) as Record<Day, { open: boolean; from: string; to: string }>,
  );
  const [timezone, setTimezone] = useState('');
  const [sla, setSla] = useState('');
  const [autoClose, setAutoClose] = useState('');
  const [status, setStatus] = useState<string | null>(null);

  useEffect(() => {
    background(
      api<{ settings: HelpdeskSettings }>('/settings').then(({ settings }) => {
        setTimezone(settings.timezone ?? '');
        setSla(settings.slaMinutes ? String(settings.slaMinutes) : '');
        setAutoClose(settings.autoCloseAfterHours ? String(settings.autoCloseAfterHours) : '');
        const stored = settings.businessHours ?? {};
        setHours(Object.fromEntries(DAYS.map(([d]) => {
          const first = stored[d]?.[0];
          return [d, first ? { open: true, from: first[0], to: first[1] } : { open: false, from: '09:00', to: '17:00' }];
        })) as typeof hours);
      }),
    );
  }, []);

  const save = async (event: Event) => {
    event.preventDefault();
    setStatus(null);
    const open = DAYS.filter(([d]) => hours[d].open);
    const body = {
      timezone: timezone.trim() || null,
      businessHours: open.length ? Object.fromEntries(open.map(([d]) => [d, [[hours[d].from, hours[d].to]]])) : null,
      slaMinutes: sla ? Number(sla) : null,
      autoCloseAfterHours: autoClose ? Number(autoClose) : null,
    };
    try {
      await api('/settings', { method: 'PATCH', body });
      setStatus('Saved.');
    } catch (err) {
      setStatus(messageOf(err));
    }
  };

  return (
    <section aria-labelledby="hours-title">
      <h2 id="hours-title">Business hours, SLA and auto-close</h2>
      <p class="muted">Outside these hours a hand-off tells the customer, on every channel, when the team opens again; callers leave a voicemail. No day open: always open.</p>
      <form onSubmit={(e) => background(save(e))} aria-label="Business hours, SLA and auto-close">
        <label>Time zone <input name="timezone" placeholder="Europe/London" value={timezone} onInput={(e) => setTimezone(e.currentTarget.value)} /></label>
        <table class="hours">
          <tbody>
            {DAYS.map(([d, label]) => (
              <tr key={d} data-day={d}>
                <td><label><input type="checkbox" checked={hours[d].open} onChange={(e) => setHours({ ...hours, [d]: { ...hours[d], open: e.currentTarget.checked } })} /> {label}</label></td>
                <td><input type="time" aria-label={`${label} opens`} disabled={!hours[d].open} value={hours[d].from} onInput={(e) => setHours({ ...hours, [d]: { ...hours[d], from: e.currentTarget.value } })} /></td>
                <td><input type="time" aria-label={`${label} closes`} disabled={!hours[d].open} value={hours[d].to} onInput={(e) => setHours({ ...hours, [d]: { ...hours[d], to: e.currentTarget.value } })} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        <label>SLA: minutes a customer may wait for a person <input name="slaMinutes" type="number" min={1} value={sla} onInput={(e) => setSla(e.currentTarget.value)} /></label>
        <label>Close resolved conversations idle for (hours) <input name="autoCloseAfterHours" type="number" min={1} value={autoClose} onInput={(e) => setAutoClose(e.currentTarget.value)} /></label>
        <button type="submit">Save hours</button>
        {status && <p role="status" data-hours-status>{status}</p>}
      </form>
    </section>
  );
}
