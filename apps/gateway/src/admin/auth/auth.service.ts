import { HttpException, HttpStatus, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import * as bcrypt from 'bcryptjs';
import { DataSource } from 'typeorm';
import { User } from '@cs/persistence';
import { LoginRateLimiter } from './login-rate-limiter';
import { ACCESS_TOKEN_SECONDS, TokenService } from './token.service';

export interface SessionTokens {
  tokenType: 'Bearer';
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  user: { id: string; email: string; name: string | null; role: string; tenantId: string | null };
}

// Compared against when the email is unknown, so a miss costs as long as a wrong password.
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 10);

export class TooManyAttempts extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super({ statusCode: 429, error: 'Too Many Requests', message: `too many login attempts; retry in ${retryAfterSeconds} s` }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly tokens: TokenService,
    private readonly limiter: LoginRateLimiter,
  ) {}

  async login(email: string, password: string, ip: string): Promise<SessionTokens> {
    const waitMs = this.limiter.hit(email, ip);
    if (waitMs > 0) throw new TooManyAttempts(Math.ceil(waitMs / 1000));
    const user = await this.db.manager
      .createQueryBuilder(User, 'u')
      .where('lower(u.email) = :email', { email: email.toLowerCase() })
      .getOne();
    const ok = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabledAt) throw new UnauthorizedException('wrong email or password');
    return this.session(user, (await this.tokens.issueRefresh(user)).token);
  }

  async refresh(refreshToken: string): Promise<SessionTokens> {
    const { userId, refreshToken: next } = await this.tokens.rotate(refreshToken);
    const user = await this.db.manager.findOne(User, { where: { id: userId } });
    if (!user || user.disabledAt) {
      await this.tokens.revoke(next);
      throw new UnauthorizedException('this user no longer exists or is disabled');
    }
    return this.session(user, next);
  }

  logout(refreshToken: string): Promise<void> {
    return this.tokens.revoke(refreshToken);
  }

  private async session(user: User, refreshToken: string): Promise<SessionTokens> {
    return {
      tokenType: 'Bearer',
      accessToken: await this.tokens.signAccess(user),
      expiresIn: ACCESS_TOKEN_SECONDS,
      refreshToken,
      user: { id: user.id, email: user.email, name: user.name, role: user.role, tenantId: user.tenantId },
    };
  }
}
