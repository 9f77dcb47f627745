import { initTRPC } from "@trpc/server";
import superjson, { type SuperJSONResult } from "superjson";
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
      (errors[field] ??= []).push(field === "_form" ? inputShapeMessage(issue) : issue.message);
    }
    return errors;
  }
  return undefined;
}

/**
 * The message for an input that is not the object of fields a procedure takes. zod's own ("Invalid
 * input: expected object, received undefined") does not say what to send; a client that posts its
 * fields without superjson's envelope gets here too.
 */
function inputShapeMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.expected === "object") return INPUT_SHAPE_MESSAGE;
  return issue.message;
}

const NOT_JSON_MESSAGE = "The request body is not valid JSON.";

const INPUT_SHAPE_MESSAGE = 'The input must be an object of fields, sent as {"json": {...}}.';

/** Whether a request's input is superjson's envelope: an object with `json` and/or `meta`, nothing else. */
function isSuperjsonEnvelope(value: unknown): value is SuperJSONResult {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.keys(value).every((key) => key === "json" || key === "meta");
}

const INVALID_META_MESSAGE = 'The input\'s "meta" is not valid superjson; send {"json": <value>} alone for plain JSON.';

/**
 * superjson both ways, except that an input must be its envelope (`{"json": ...}`): superjson alone
 * reads `[]`, `"x"` or `42` as "no input", so a procedure whose input is optional would run on a
 * malformed body. The thrown error becomes a 400 BAD_REQUEST.
 */
const transformer = {
  input: {
    serialize: (value: unknown): SuperJSONResult => superjson.serialize(value),
    deserialize: (payload: unknown): unknown => {
      if (!isSuperjsonEnvelope(payload)) throw new TypeError('The input must be sent as {"json": <value>}.');
      try {
        return superjson.deserialize(payload);
      } catch {
        // A malformed `meta` makes superjson throw its own internals ("identicalPaths.map is not a
        // function", a stack overflow, a link to its issue tracker): the client gets what was wrong.
        throw new TypeError(INVALID_META_MESSAGE);
      }
    },
  },
  output: superjson,
};

export const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer,
    // Stack traces stay in the server log, never in a response.
    isDev: false,
    errorFormatter({ shape, error }) {
      const fieldErrors = fieldErrorsOf(error.cause);
      const message =
        error.code === "INTERNAL_SERVER_ERROR"
          ? MESSAGES.internal
          : error.cause instanceof z.ZodError
            ? MESSAGES.invalidInput
            : // JSON.parse's own words quote the body back and name no fix.
              error.cause instanceof SyntaxError
              ? NOT_JSON_MESSAGE
              : shape.message;
      const { stack: _stack, ...data } = shape.data;
      return { ...shape, message, data: { ...data, fieldErrors: fieldErrors ?? null } };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
