import type { AnchorHTMLAttributes, ReactElement, Ref } from "react";
import { BUTTON_BASE, BUTTON_VARIANTS } from "./button-styles.ts";

export interface AnchorProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  /**
   * `inline` for a link in running text, `quiet` for navigation that should not shout, and
   * `primary`/`secondary` for a link that looks like the button of the same name.
   */
  variant?: "inline" | "quiet" | "primary" | "secondary";
  ref?: Ref<HTMLAnchorElement>;
}

const VARIANTS = {
  inline:
    "rounded-sm font-medium text-blue-700 underline decoration-blue-700/30 underline-offset-2 hover:decoration-blue-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700",
  quiet:
    "rounded-sm font-medium text-slate-700 hover:text-slate-950 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700",
  primary: `${BUTTON_BASE} ${BUTTON_VARIANTS.primary}`,
  secondary: `${BUTTON_BASE} ${BUTTON_VARIANTS.secondary}`,
} as const;

/**
 * A styled `<a>`. The web app wraps it with its router's `createLink`, so client-side navigation
 * and real `href`s (middle click, copy link) both work.
 */
export function Anchor({ variant = "inline", className = "", ...rest }: AnchorProps): ReactElement {
  return <a className={`${VARIANTS[variant]} ${className}`} {...rest} />;
}
