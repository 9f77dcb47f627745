// Shared by Button and the button-looking variants of Anchor, so a link styled as a button and a
// real button cannot drift apart.
export const BUTTON_BASE =
  "relative inline-flex min-h-10 items-center justify-center gap-2 rounded-md px-4 py-2 text-sm font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-60";

export const BUTTON_VARIANTS = {
  primary: "bg-blue-700 text-white shadow-sm hover:bg-blue-800 focus-visible:outline-blue-700",
  secondary:
    "bg-white text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50 focus-visible:outline-slate-500",
  danger:
    "bg-white text-red-700 shadow-sm ring-1 ring-red-300 ring-inset hover:bg-red-50 focus-visible:outline-red-600",
} as const;

export type ButtonVariant = keyof typeof BUTTON_VARIANTS;
