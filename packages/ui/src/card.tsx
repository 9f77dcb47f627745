import type { ReactElement, ReactNode } from "react";

export interface CardProps {
  /** The card's heading. */
  title?: ReactNode;
  /**
   * The heading's level: 1 when the card is the page (log in, sign up), 2 when it is a section of
   * a page with its own `<h1>`.
   */
  headingLevel?: 1 | 2;
  /** A sentence under the heading. */
  description?: ReactNode;
  children?: ReactNode;
  /** A strip along the bottom, for links to other pages ("No account? Sign up"). */
  footer?: ReactNode;
  className?: string;
}

/** A white panel with an optional heading and footer, the frame of every form and table. */
export function Card({
  title,
  headingLevel = 2,
  description,
  children,
  footer,
  className = "",
}: CardProps): ReactElement {
  const Heading = headingLevel === 1 ? "h1" : "h2";
  return (
    <section className={`rounded-xl border border-slate-200 bg-white shadow-sm ${className}`}>
      <div className="flex flex-col gap-5 p-5 sm:p-7">
        {(title ?? description) && (
          <header className="flex flex-col gap-1.5">
            {title && (
              <Heading
                className={`font-semibold tracking-tight text-slate-900 ${headingLevel === 1 ? "text-2xl" : "text-lg"}`}
              >
                {title}
              </Heading>
            )}
            {description && <p className="text-sm text-slate-600">{description}</p>}
          </header>
        )}
        {children}
      </div>
      {footer && (
        <footer className="rounded-b-xl border-t border-slate-200 bg-slate-50 px-5 py-4 text-sm text-slate-600 sm:px-7">
          {footer}
        </footer>
      )}
    </section>
  );
}
