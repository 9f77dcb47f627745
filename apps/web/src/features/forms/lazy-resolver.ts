import type { FieldValues, Resolver } from "react-hook-form";

/** A react-hook-form resolver whose code loads on first use, plus a way to start loading early. */
export interface LazyResolver<Values extends FieldValues> {
  resolver: Resolver<Values>;
  /** Starts loading now (for example when the user first focuses the form). */
  preload: () => void;
}

/**
 * Wraps a resolver that lives in another chunk. The forms' validation (zod and Django's validators,
 * about a fifth of the login page's JavaScript) is only needed once someone types, so it is left out
 * of the first download and fetched when the form is first focused.
 */
export function lazyResolver<Values extends FieldValues>(load: () => Promise<Resolver<Values>>): LazyResolver<Values> {
  let loading: Promise<Resolver<Values>> | undefined;
  function get(): Promise<Resolver<Values>> {
    loading ??= load().catch((error: unknown) => {
      // Let the next attempt download again (after a network hiccup, say).
      loading = undefined;
      throw error;
    });
    return loading;
  }
  return {
    resolver: async (values, context, options) => (await get())(values, context, options),
    preload: () => {
      get().catch(() => undefined);
    },
  };
}
