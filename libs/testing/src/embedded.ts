import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type RunningService, type ServiceSpec } from '@tashghil/service-kit';

/**
 * Starts a service in the embedded mode on a fresh PGlite directory and a free port, quiet unless
 * `env` says otherwise. Its `stop` also removes the directory.
 */
export const startEmbedded = async (spec: ServiceSpec, env: Record<string, string> = {}): Promise<RunningService> => {
  const dataDir = mkdtempSync(join(tmpdir(), `tashghil-${spec.name}-`));
  let service: RunningService;
  try {
    service = await startService(spec, {
      TASHGHIL_MODE: 'embedded',
      TASHGHIL_DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'silent',
      ...env,
    });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...service,
    stop: async () => {
      await service.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
