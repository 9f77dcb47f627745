import type { TRPCRouterRecord } from "@trpc/server";
import { publicProcedure } from "../procedures.ts";

export const healthRouter = {
  ping: publicProcedure.query(() => ({ pong: true as const, time: new Date() })),
} satisfies TRPCRouterRecord;
