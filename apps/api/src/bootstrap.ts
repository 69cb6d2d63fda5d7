import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { KetnapConfig } from '../../../libs/config/src/config.js';
import { AppModule } from './app.module.js';

/** Builds the HTTP app (all routes under /api). Used by main.ts and by the end-to-end tests. */
export async function createApi(config?: KetnapConfig, opts: { logger?: false | ('error' | 'warn' | 'log')[] } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: opts.logger ?? ['error', 'warn', 'log'] });
  app.setGlobalPrefix('api');
  app.enableShutdownHooks();
  return app;
}
