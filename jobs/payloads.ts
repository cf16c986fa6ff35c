import { z } from 'zod';

/** Job data is small, secret-free and validated where it is read: a bad job fails loudly. */

export const pollJobSchema = z.object({ sourceId: z.string().min(1) });
export type PollJob = z.infer<typeof pollJobSchema>;

export const fanOutJobSchema = z.object({
  sourceId: z.string().min(1),
  boardNos: z.array(z.number().int().nonnegative()).min(1),
});
export type FanOutJob = z.infer<typeof fanOutJobSchema>;

export const deliverJobSchema = z.object({
  sourceId: z.string().min(1),
  boardNo: z.number().int().nonnegative(),
  channel: z.object({
    platform: z.enum(['slack', 'discord', 'console']),
    workspaceId: z.string().min(1),
    channelId: z.string().min(1),
  }),
});
export type DeliverJob = z.infer<typeof deliverJobSchema>;
