import type { FocusEventHandler, FormEventHandler, ReactElement, ReactNode } from "react";

export interface FormLayoutProps {
  /** Called on submit; the browser's own validation is off, the form's code validates. */
  onSubmit: FormEventHandler<HTMLFormElement>;
  /** The fields, and any alert about the form as a whole, top to bottom. */
  children: ReactNode;
  /** The buttons, laid out in a row under the fields (full width on a phone). */
  actions: ReactNode;
  /** Makes the buttons span the form's width on every screen, for single-purpose forms like logging in. */
  stretchActions?: boolean;
  /** Called when focus enters any field, for example to start loading the form's validation. */
  onFocus?: FocusEventHandler<HTMLFormElement>;
  /** Names the form for assistive technology when the page has several. */
  "aria-label"?: string;
  className?: string;
}

/** A form with the project's spacing: fields stacked, actions in a row at the bottom. */
export function FormLayout({
  onSubmit,
  onFocus,
  stretchActions = false,
  children,
  actions,
  "aria-label": ariaLabel,
  className = "",
}: FormLayoutProps): ReactElement {
  return (
    <form
      noValidate
      onSubmit={onSubmit}
      onFocus={onFocus}
      aria-label={ariaLabel}
      className={`flex flex-col gap-3 ${className}`}
    >
      {children}
      <div
        className={`flex flex-col gap-3 pt-1 [&>*]:w-full ${stretchActions ? "" : "sm:flex-row sm:items-center sm:[&>*]:w-auto"}`}
      >
        {actions}
      </div>
    </form>
  );
}
