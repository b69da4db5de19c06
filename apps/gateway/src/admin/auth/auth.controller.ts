import { Body, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody } from '../common/openapi-zod';
import { ZodPipe } from '../common/zod-body.pipe';
import { AuthService, TooManyAttempts } from './auth.service';
import { loginSchema, refreshSchema, type LoginBody, type RefreshBody } from './dto/auth.dto';
import { Caller, type Principal } from './principal';
import { Public, Roles } from './roles.decorator';

@AdminController('auth', 'auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password: a 15-minute access token and a refresh token' })
  @ApiZodBody(loginSchema)
  @ApiResponse({ status: 429, description: 'More than 5 attempts a minute for this email from this address' })
  async login(@Body(new ZodPipe(loginSchema)) body: LoginBody, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    try {
      return await this.auth.login(body.email, body.password, req.ip ?? 'unknown');
    } catch (error) {
      if (error instanceof TooManyAttempts) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Trade a refresh token for new tokens (the old refresh token stops working)' })
  @ApiZodBody(refreshSchema)
  refresh(@Body(new ZodPipe(refreshSchema)) body: RefreshBody) {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a refresh token' })
  @ApiZodBody(refreshSchema)
  async logout(@Body(new ZodPipe(refreshSchema)) body: RefreshBody): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }

  @Get('me')
  @Roles('operator', 'owner', 'admin', 'agent')
  @ApiOperation({ summary: 'Who the credentials belong to' })
  me(@Caller() caller: Principal) {
    return { kind: caller.kind, id: caller.id, tenantId: caller.tenantId, role: caller.role, scopes: caller.scopes, name: caller.name };
  }
}
