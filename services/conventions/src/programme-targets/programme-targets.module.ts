import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ensureQueryModel, EVENT_STORE, EventStore } from '@tashghil/event-store';
import { ProgrammeTargetsController } from './programme-targets.controller';
import { programmeTargetsDecider } from './programme-targets.decider';

/** Creates q.programme_targets, or rebuilds it from the store when its layout changed, before the service takes a request. */
@Injectable()
export class ProgrammeTargetsQueryModel implements OnModuleInit {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onModuleInit(): Promise<void> {
    await ensureQueryModel(this.store, programmeTargetsDecider);
  }
}

@Module({ controllers: [ProgrammeTargetsController], providers: [ProgrammeTargetsQueryModel] })
export class ProgrammeTargetsModule {}
