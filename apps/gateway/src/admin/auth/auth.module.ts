import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AuditService } from '../audit/audit.service';
import { AdminAuthGuard } from './admin-auth.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { CredentialsService } from './credentials.service';
import { LoginRateLimiter } from './login-rate-limiter';
import { TokenService } from './token.service';

/** Sign-in and the guard every console module uses (import this module to put AdminAuthGuard on a controller). */
@Module({
  imports: [JwtModule.register({})],
  controllers: [AuthController],
  providers: [AuthService, TokenService, CredentialsService, LoginRateLimiter, AdminAuthGuard, AuditService],
  exports: [TokenService, CredentialsService, AdminAuthGuard, AuditService],
})
export class AuthModule {}
