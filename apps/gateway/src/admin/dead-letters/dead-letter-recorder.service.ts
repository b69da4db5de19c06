import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { BusSubjects } from '@cs/contracts';
import { BUS, type Bus, type Subscription } from '@cs/messaging';
import { DeadLettersService } from './dead-letters.service';

/**
 * Records every dead letter (`dlq.>`, durable `dead-letters`, shared by every gateway) in
 * `dead_letters`. A database outage is waited out like any other; the bus never dead-letters a
 * dead letter again.
 */
@Injectable()
export class DeadLetterRecorder implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription?: Subscription;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly deadLetters: DeadLettersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.consume({ durable: 'dead-letters', filterSubjects: [BusSubjects.deadLetterAll()], concurrency: 4 }, (message) =>
      this.deadLetters.record(message),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.unsubscribe().catch(() => undefined);
  }
}
