import { join, resolve } from "node:path";

/** Where export files live and how long they may be downloaded. */
export interface ExportSettings {
  /** Folder of the export files (one sub-folder per export). API and workers must share it. @defaultValue <dataDir>/exports */
  dir: string;
  /** Downloads answer 410 this long after an export finished; the files are deleted then. @defaultValue 24 */
  ttlHours: number;
}

export const MAX_EXPORT_TTL_HOURS = 24 * 366;

/** PEDIGREE_EXPORT_DIR (default <PEDIGREE_DATA_DIR>/exports) and PEDIGREE_EXPORT_TTL_HOURS (1–8784, default 24). */
export function loadExportSettings(env: NodeJS.ProcessEnv = process.env): ExportSettings {
  const raw = env.PEDIGREE_EXPORT_TTL_HOURS;
  const ttlHours = raw === undefined || raw === "" ? 24 : Number(raw);
  if (!Number.isInteger(ttlHours) || ttlHours < 1 || ttlHours > MAX_EXPORT_TTL_HOURS) {
    throw new Error(
      `Environment variable PEDIGREE_EXPORT_TTL_HOURS must be a whole number of hours between 1 and ${MAX_EXPORT_TTL_HOURS}; got "${raw}".`,
    );
  }
  return {
    dir: resolve(env.PEDIGREE_EXPORT_DIR || join(env.PEDIGREE_DATA_DIR ?? ".pedigree", "exports")),
    ttlHours,
  };
}
