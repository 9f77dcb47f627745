import type { FormEvent } from "react";
import { describeApiError } from "../../lib/trpc-error.ts";
import type { FormAlert } from "./use-form-alert.ts";

/**
 * A form's submit handler: every attempt starts afresh (an old message must not stand beside new
 * field errors), and an attempt that fails before its request is sent says so. The forms' validation
 * is downloaded when first needed (`lazyResolver`); offline, or with the server gone, that download
 * fails inside react-hook-form's `handleSubmit`, which would otherwise leave the button doing nothing.
 */
export function submitAttempt(
  alert: Pick<FormAlert, "show" | "clear">,
  onSubmit: (event: FormEvent<HTMLFormElement>) => Promise<void>,
): (event: FormEvent<HTMLFormElement>) => void {
  return (event) => {
    alert.clear();
    onSubmit(event).catch((error: unknown) => alert.show(describeApiError(error).message));
  };
}
