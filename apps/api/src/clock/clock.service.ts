import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { KETNAP_CONFIG, type KetnapConfig } from '../../../../libs/config/src/config.js';
import { businessNowMs, reanchor, type BusinessClock } from '../../../../libs/domain/src/clock.js';
import { vnDateOf, type IsoDate } from '../../../../libs/domain/src/dates.js';
import { SettingsRepository } from '../../../../libs/persistence/src/repositories/settings.repository.js';

const KEY = 'business_clock';

/**
 * The business clock, anchored in the database so every API instance agrees and business time never runs
 * backwards across restarts. A changed KETNAP_CLOCK_SPEED re-anchors at the current business time; cases
 * already started keep the clock they were started with.
 */
@Injectable()
export class ClockService implements OnModuleInit {
  private clock!: BusinessClock;
  private readonly log = new Logger('clock');

  constructor(
    @Inject(KETNAP_CONFIG) private readonly config: KetnapConfig,
    @Inject(SettingsRepository) private readonly settings: SettingsRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    const now = Date.now();
    const stored = await this.settings.getOrCreate<BusinessClock>(KEY, { anchorRealMs: now, anchorBusinessMs: now, speed: this.config.clockSpeed });
    if (stored.speed !== this.config.clockSpeed) {
      this.clock = reanchor(stored, now, this.config.clockSpeed);
      await this.settings.set(KEY, this.clock);
      this.log.log(`business clock re-anchored at speed ${this.config.clockSpeed}`);
    } else this.clock = stored;
  }

  current(): BusinessClock {
    return { ...this.clock };
  }

  nowMs(): number {
    return businessNowMs(this.clock, Date.now());
  }

  today(): IsoDate {
    return vnDateOf(this.nowMs());
  }
}
