import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ensureQueryModel, EVENT_STORE, EventStore } from '@tashghil/event-store';
import { settingsProvider } from '../settings';
import { WorksProjectController } from './works-project.controller';
import { worksProjectDecider } from './works-project.decider';

/** Creates q.works_projects, or rebuilds it from the store when its layout changed, before the service takes a request. */
@Injectable()
export class WorksProjectQueryModel implements OnModuleInit {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onModuleInit(): Promise<void> {
    await ensureQueryModel(this.store, worksProjectDecider);
  }
}

@Module({ controllers: [WorksProjectController], providers: [settingsProvider, WorksProjectQueryModel] })
export class WorksProjectModule {}
