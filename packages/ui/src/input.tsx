import type { InputHTMLAttributes, ReactElement, Ref } from "react";

export interface InputProps extends InputHTMLAttributes<HTMLInputElement> {
  /** Marks the value as wrong: a red border, and `aria-invalid` for assistive technology. */
  invalid?: boolean;
  ref?: Ref<HTMLInputElement>;
}

/**
 * A single-line text input. Use it through `TextField`, which ties it to a label, help text and
 * error messages; use it alone only where a visible label is provided some other way.
 */
export function Input({ invalid = false, className = "", type = "text", ...rest }: InputProps): ReactElement {
  return (
    <input
      type={type}
      aria-invalid={invalid || undefined}
      className={`block h-10 w-full rounded-md border bg-white px-3 text-base text-slate-900 shadow-xs placeholder:text-slate-400 focus:outline-2 focus:outline-offset-0 disabled:bg-slate-100 disabled:text-slate-500 sm:text-sm ${
        invalid
          ? "border-red-500 focus:border-red-500 focus:outline-red-500/40"
          : "border-slate-300 focus:border-blue-600 focus:outline-blue-600/40"
      } ${className}`}
      {...rest}
    />
  );
}
