/** Every BullMQ queue Pedigree uses; one worker family per queue. */
export const QUEUE_NAMES = ["training", "serving", "monitoring", "exports"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];
