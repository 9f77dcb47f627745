import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import type { Context } from "./context.ts";
import { MESSAGES } from "./errors.ts";
import { FieldErrorsCause, type FieldErrors } from "./field-errors.ts";

/** How a procedure is guarded; every procedure has one, so deny-by-default can be checked. */
export type Access = "public" | "login" | "staff" | "permission" | "test";

export interface Meta {
  access?: Access;
}

function fieldErrorsOf(cause: unknown): FieldErrors | undefined {
  if (cause instanceof FieldErrorsCause) return cause.fieldErrors;
  if (cause instanceof z.ZodError) {
    const errors: FieldErrors = {};
    for (const issue of cause.issues) {
      const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "_form";
      (errors[field] ??= []).push(issue.message);
    }
    return errors;
  }
  return undefined;
}

export const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    // Stack traces stay in the server log, never in a response.
    isDev: false,
    errorFormatter({ shape, error }) {
      const fieldErrors = fieldErrorsOf(error.cause);
      const message =
        error.code === "INTERNAL_SERVER_ERROR"
          ? MESSAGES.internal
          : error.cause instanceof z.ZodError
            ? MESSAGES.invalidInput
            : shape.message;
      const { stack: _stack, ...data } = shape.data;
      return { ...shape, message, data: { ...data, fieldErrors: fieldErrors ?? null } };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
