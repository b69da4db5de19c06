import { z } from 'zod';
import { CHANNELS } from '@cs/contracts';

/** JSON form of an import (API clients); the console may also send the files as multipart `files`. */
export const importFilesSchema = z.object({
  files: z
    .array(z.object({ name: z.string().trim().min(1).max(300), content: z.string().max(2_000_000) }))
    .max(500)
    .default([]),
});
export type ImportFilesBody = z.infer<typeof importFilesSchema>;

export const tryQuestionSchema = z.object({
  question: z.string().trim().min(1).max(2000),
  /** The channel the customer would write on (reply length, wording); web chat when unset. */
  channel: z.enum(CHANNELS).optional(),
});
export type TryQuestionBody = z.infer<typeof tryQuestionSchema>;
