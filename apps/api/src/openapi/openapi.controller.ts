import fs from 'node:fs';
import { Controller, Get, Header, Inject, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { fromRoot } from '../../../../infra/src/repo.js';
import { Public } from '../auth/decorators.js';
import { ApiDoc } from './api-doc.decorator.js';
import { ApiRoutes } from './api-routes.js';
import { renderDocsPage } from './docs-page.js';
import { buildOpenApi, type JsonSchema } from './openapi-document.js';

/**
 * The API's OpenAPI 3.1 document and its browsable page, both public: they describe shapes, never data, and
 * the deployment sits behind the network boundary. Built once, on the first request (the routes are all
 * registered by then), from the same zod schemas the handlers parse with.
 */
@Controller()
export class OpenApiController {
  private doc?: JsonSchema;
  private page?: string;

  constructor(@Inject(ApiRoutes) private readonly routes: ApiRoutes) {}

  @Public()
  @Get('openapi.json')
  @ApiDoc({ en: 'This OpenAPI 3.1 document', vi: 'Tài liệu OpenAPI 3.1 này' })
  document(): JsonSchema {
    return (this.doc ??= buildOpenApi(this.routes.list(), { version: packageVersion() }));
  }

  @Public()
  @Get('docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiDoc({ en: 'The document as a browsable page', vi: 'Trang xem tài liệu API', produces: ['text/html'] })
  docs(): string {
    return (this.page ??= renderDocsPage(this.document()));
  }
}

function packageVersion(): string {
  try {
    return String(JSON.parse(fs.readFileSync(fromRoot('package.json'), 'utf8')).version);
  } catch {
    return '0.0.0';
  }
}

@Module({ imports: [DiscoveryModule], controllers: [OpenApiController], providers: [ApiRoutes] })
export class OpenApiModule {}
