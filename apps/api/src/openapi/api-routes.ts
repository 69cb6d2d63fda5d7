import { Inject, Injectable, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { ApplicationConfig, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '../auth/decorators.js';
import { UuidPipe } from '../common/uuid.pipe.js';
import { API_DOC, type ApiDocSpec } from './api-doc.decorator.js';
import type { RouteDoc } from './openapi-document.js';

/**
 * Every route of every controller, read from the same metadata Nest builds its router from (@Controller,
 * @Get…, @HttpCode, @Public, the `uuid` pipe), joined with each handler's @ApiDoc. Nothing is listed by hand,
 * so no controller route can be missing from the document; test/e2e/openapi.e2e-spec.ts compares the result
 * with the Express router of the running app.
 */
@Injectable()
export class ApiRoutes {
  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(ApplicationConfig) private readonly config: ApplicationConfig,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  list(): RouteDoc[] {
    const prefix = this.config.getGlobalPrefix();
    const out: RouteDoc[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!controller) continue;
      const proto = controller.prototype as Record<string, unknown>;
      const controllerPaths = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, controller) ?? '/');
      const name = controller.name.replace(/Controller$/, '');
      for (const handlerName of this.scanner.getAllMethodNames(proto)) {
        const handler = proto[handlerName] as object;
        const methodPaths: string | string[] | undefined = Reflect.getMetadata(PATH_METADATA, handler);
        if (methodPaths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const declared: number | undefined = Reflect.getMetadata(HTTP_CODE_METADATA, handler);
        const isPublic = !!this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler as never, controller]);
        const spec: ApiDocSpec | undefined = Reflect.getMetadata(API_DOC, handler);
        for (const cp of controllerPaths) {
          for (const mp of ([] as string[]).concat(methodPaths)) {
            out.push({
              method,
              path: joinPath(prefix, cp, mp),
              operationId: `${name}.${handlerName}`,
              tag: cp.replace(/^\/+/, '').split('/')[0] || name,
              isPublic,
              status: spec?.status ?? declared ?? (method === 'POST' ? 201 : 200),
              uuidParams: uuidParams(controller, handlerName),
              spec,
            });
          }
        }
      }
    }
    return out;
  }
}

/** `api` + `tasks` + `:id/complete` → `/api/tasks/:id/complete` (as Nest's router joins them). */
export function joinPath(...parts: string[]): string {
  const joined = parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}

/** Path parameters passed through the `uuid` pipe (`@Param('id', uuid)`). */
function uuidParams(controller: object, handlerName: string): string[] {
  const args: Record<string, { data?: unknown; pipes?: unknown[] }> = Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handlerName) ?? {};
  return Object.entries(args)
    .filter(([key, a]) => Number(key.split(':')[0]) === RouteParamtypes.PARAM && typeof a.data === 'string' && (a.pipes ?? []).some((p) => p instanceof UuidPipe))
    .map(([, a]) => a.data as string);
}
