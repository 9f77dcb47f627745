import type { ButtonHTMLAttributes, ReactElement, Ref } from "react";
import { BUTTON_BASE, BUTTON_VARIANTS, type ButtonVariant } from "./button-styles.ts";
import { Spinner } from "./spinner.tsx";

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /**
   * `primary` for the main action of a form, `secondary` for the others, `danger` for actions that
   * end something (a session, an account).
   */
  variant?: ButtonVariant;
  /**
   * Shows a spinner in place of the label, disables the button and tells assistive technology that
   * work is under way. The button keeps its size, so nothing around it moves.
   */
  pending?: boolean;
  ref?: Ref<HTMLButtonElement>;
}

/** A button with the project's look, and a pending state that prevents double submission. */
export function Button({
  variant = "primary",
  pending = false,
  disabled = false,
  className = "",
  children,
  type = "button",
  ...rest
}: ButtonProps): ReactElement {
  return (
    <button
      type={type}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
      className={`${BUTTON_BASE} ${BUTTON_VARIANTS[variant]} ${className}`}
      {...rest}
    >
      <span className={`inline-flex items-center gap-2 ${pending ? "invisible" : ""}`}>{children}</span>
      {pending && (
        <span className="absolute inset-0 flex items-center justify-center">
          <Spinner />
        </span>
      )}
    </button>
  );
}
