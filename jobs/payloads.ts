import { z } from 'zod';
import { platformSchema } from '../src/platforms/platform-registry.js';

/** Job data is small, secret-free and validated where it is read: a bad job fails loudly. */

export const pollJobSchema = z.object({ sourceId: z.string().min(1) });
export type PollJob = z.infer<typeof pollJobSchema>;

export const fanOutJobSchema = z.object({
  sourceId: z.string().min(1),
  boardNos: z.array(z.number().int().nonnegative()).min(1),
});
export type FanOutJob = z.infer<typeof fanOutJobSchema>;

const channelSchema = z.object({
  platform: platformSchema,
  workspaceId: z.string().min(1),
  channelId: z.string().min(1),
});

export const noticeSchema = z.object({
  kind: z.enum(['down', 'recovered', 'stale']),
  sourceLabel: z.string().optional(),
  sourceId: z.string().min(1),
  sourceUrl: z.string(),
  since: z.iso.datetime(),
  error: z.string().nullable(),
});

/** Posts the source corrected after they were announced: their alerts are edited. */
export const correctionJobSchema = z.object({
  sourceId: z.string().min(1),
  boardNos: z.array(z.number().int().nonnegative()).min(1),
  /** A short hash of what the posts say now: each new correction is a new job. */
  version: z.string().min(1),
});
export type CorrectionJob = z.infer<typeof correctionJobSchema>;

export const noticeJobSchema = z.object({ notice: noticeSchema });
export type NoticeJob = z.infer<typeof noticeJobSchema>;

/**
 * One post to one channel, one notice about the source to one channel, or the edit of one
 * sent alert after a correction (`messageId`: the platform's id of that alert).
 */
export const deliverJobSchema = z.union([
  z.object({
    sourceId: z.string().min(1),
    boardNo: z.number().int().nonnegative(),
    channel: channelSchema,
    messageId: z.string().min(1),
    /** An edit that adds what another carrier of the release knows, not a correction. */
    reason: z.literal('enrichment').optional(),
  }),
  z.object({
    sourceId: z.string().min(1),
    boardNo: z.number().int().nonnegative(),
    channel: channelSchema,
  }),
  z.object({ channel: channelSchema, notice: noticeSchema }),
]);
export type DeliverJob = z.infer<typeof deliverJobSchema>;
