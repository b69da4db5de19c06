import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { User } from '@cs/persistence';
import type { Principal } from '../auth/principal';
import type { PreferencesBody, PreferencesView } from './dto/helpdesk.dto';

/** A signed-in person's own availability and notification preferences (each on unless turned off). */
@Injectable()
export class PreferencesService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** An API key is nobody: it reads the defaults (and cannot change them). */
  async get(caller: Principal): Promise<PreferencesView> {
    if (caller.kind !== 'user') return view({ availability: 'online', notificationPrefs: {} });
    return view(await this.user(caller));
  }

  async update(caller: Principal, body: PreferencesBody): Promise<PreferencesView> {
    const user = await this.user(caller);
    const { availability, ...prefs } = body;
    const notificationPrefs = { ...user.notificationPrefs, ...Object.fromEntries(Object.entries(prefs).filter(([, v]) => v !== undefined)) };
    await this.db.manager.update(User, { id: user.id }, { notificationPrefs, ...(availability ? { availability } : {}) });
    return view({ ...user, notificationPrefs, availability: availability ?? user.availability });
  }

  private async user(caller: Principal): Promise<User> {
    if (caller.kind !== 'user') throw new ForbiddenException('preferences belong to a signed-in person, not an API key');
    const user = await this.db.manager.findOne(User, { where: { id: caller.id } });
    if (!user) throw new NotFoundException('no such user');
    return user;
  }
}

function view(user: Pick<User, 'availability' | 'notificationPrefs'>): PreferencesView {
  const prefs = user.notificationPrefs ?? {};
  return { availability: user.availability, browser: prefs.browser !== false, sound: prefs.sound !== false, email: prefs.email !== false };
}
