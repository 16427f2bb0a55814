// The archive's settings from the environment, read once at start (Argo's persistence.archive,
// archiveLabelSelector, archiveTTL and archiveLogs). Bad values fail fast, naming the variable.
import { parseGoDuration } from '@regatta/expr';
import { parseLabelSelector, type LabelRequirement } from '@regatta/spec';

export interface ArchiveConfig {
  /** ARCHIVE_DATABASE_URL: archiving is on when it is set. */
  url: string;
  /** REGATTA_ARCHIVE_LABEL_SELECTOR: only workflows it selects are archived (all when empty). */
  labelSelector: LabelRequirement[];
  /** REGATTA_ARCHIVE_TTL (`7d`, `12h`, `30m`): archived workflows older than this are deleted; kept for ever when unset. */
  ttlMs?: number;
  /** REGATTA_ARCHIVE_LOGS (`true`): archive node logs unless a workflow's spec.archiveLogs says otherwise. */
  archiveLogs: boolean;
}

/** The archive's settings, or undefined when ARCHIVE_DATABASE_URL is not set (no archiving). */
export function readArchiveConfig(env: NodeJS.ProcessEnv): ArchiveConfig | undefined {
  const url = env.ARCHIVE_DATABASE_URL;
  if (!url) return undefined;
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('ARCHIVE_DATABASE_URL must be a postgres:// URL');
  const logs = env.REGATTA_ARCHIVE_LOGS ?? 'false';
  if (logs !== 'true' && logs !== 'false') throw new Error(`REGATTA_ARCHIVE_LOGS must be true or false, got "${logs}"`);
  const ttl = env.REGATTA_ARCHIVE_TTL;
  return {
    url,
    labelSelector: parseLabelSelector(env.REGATTA_ARCHIVE_LABEL_SELECTOR ?? '', 'REGATTA_ARCHIVE_LABEL_SELECTOR'),
    ...(ttl && { ttlMs: parseTtl(ttl) }),
    archiveLogs: logs === 'true',
  };
}

/** Argo's archiveTTL: a Go duration, or whole days as `7d`. */
function parseTtl(text: string): number {
  const days = /^(\d+)d$/.exec(text);
  let ms: number;
  try {
    ms = days ? Number(days[1]) * 86_400_000 : parseGoDuration(text) / 1e6;
  } catch {
    ms = Number.NaN;
  }
  if (!(ms > 0)) throw new Error(`REGATTA_ARCHIVE_TTL must be a positive duration such as 7d, 12h or 30m, got "${text}"`);
  return ms;
}
