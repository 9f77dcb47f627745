import { useCallback, useEffect, useRef, useState, type RefObject } from "react";

/** What {@link useFormAlert} returns. */
export interface FormAlert {
  /** The message to show above the form, or `null`. */
  message: string | null;
  /** Shows a message and moves focus to it, even when it is the same message as last time. */
  show: (message: string | null) => void;
  clear: () => void;
  /** Attach to the `Alert` so it can take focus. */
  ref: RefObject<HTMLDivElement | null>;
}

/**
 * A message about a whole form (a wrong password, a rate limit). Focus moves to it when it appears,
 * as it does to the first invalid field for field errors, so it is read out and seen.
 */
export function useFormAlert(): FormAlert {
  const [state, setState] = useState<{ message: string; shownAt: number } | null>(null);
  const ref = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    if (state) ref.current?.focus();
  }, [state]);
  const show = useCallback((message: string | null) => {
    setState(message === null ? null : { message, shownAt: performance.now() });
  }, []);
  const clear = useCallback(() => setState(null), []);
  return { message: state?.message ?? null, show, clear, ref };
}
