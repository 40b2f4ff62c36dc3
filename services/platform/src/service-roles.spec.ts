import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conventionsService } from '@tashghil/conventions';
import { matchingService } from '@tashghil/matching';
import { reportingService } from '@tashghil/reporting';
import { SERVICE_ROLES } from '@tashghil/service-kit';
import { subsidiesService } from '@tashghil/subsidies';
import { repoRoot } from '@tashghil/testing';

const services = [conventionsService, matchingService, subsidiesService, reportingService];

describe('the database roles follow the services', () => {
  it('has one role for each distributed service, and none for anything else', () => {
    expect(SERVICE_ROLES.map((r) => r.service).sort()).toEqual(services.map((s) => s.name).sort());
  });

  it.each(services.map((s) => [s.name, s]))(
    'lets %s append to exactly the contexts it relays, and write exactly its consumers’ rows',
    (_name, spec) => {
      const role = SERVICE_ROLES.find((r) => r.service === spec.name);
      expect(role?.contexts).toEqual(spec.relays);
      expect(role?.consumers).toEqual(spec.consumers);
    },
  );

  it('names the same roles in the infra/ provisioning script', () => {
    const sql = readFileSync(join(repoRoot, 'infra/postgres/service-roles.sql'), 'utf8');
    const named = /ARRAY\[([^\]]*)\]/.exec(sql)?.[1]?.match(/tashghil_[a-z]+/g);
    expect(named).toEqual(SERVICE_ROLES.map((r) => r.role));
  });
});
