/**
 * Messages between main and the engine host (src/main/engine-host.ts, run in an Electron
 * utilityProcess). For now only a liveness check; the sync commands come with the engine.
 */
import { z } from 'zod';

export const EngineRequestSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ping'), id: z.number().int().nonnegative() }),
]);
export type EngineRequest = z.infer<typeof EngineRequestSchema>;

export const EngineResponseSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('pong'),
    id: z.number().int().nonnegative(),
    /** Process id of the engine host, for logs. */
    pid: z.number().int().positive(),
  }),
  z.strictObject({
    type: z.literal('error'),
    /** Id of the request that failed, when it could be read. */
    id: z.number().int().nonnegative().optional(),
    message: z.string(),
  }),
]);
export type EngineResponse = z.infer<typeof EngineResponseSchema>;
