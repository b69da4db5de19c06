import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * The console's OpenAPI document at /docs-json and its browsable UI at /docs. Called by every host
 * of the gateway after the app is created (the UI assets come from swagger-ui-dist, no network).
 */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Support agent API')
    .setDescription(
      'The admin console API (`/api/v1`) and the API channel. Authenticate with `Authorization: Bearer <access token>` ' +
        '(POST /api/v1/auth/login) or `Bearer <API key>`. Errors are `{ error: { status, code, message, fields? } }`; ' +
        'lists answer `{ items, nextCursor }` — pass `nextCursor` back as `?after=`.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', customSiteTitle: 'Support agent API' });
}
