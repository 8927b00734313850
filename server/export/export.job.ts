import { z } from "zod";

/** Exports: one job writes the files of one export (audit events, or a compliance report). */
export const EXPORT_QUEUE = "exports";
export const EXPORT_JOB = "export";
export const EXPORT_ATTEMPTS = 3;
export const EXPORT_ACTOR = "worker:export";

export const exportPayloadSchema = z.strictObject({ exportId: z.uuid() });
export type ExportPayload = z.infer<typeof exportPayloadSchema>;
