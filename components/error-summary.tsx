"use client";

import { type MouseEvent, useEffect, useRef } from "react";

export type TErrorSummaryItem = { fieldId: string; message: string };

type TErrorSummaryProps = {
  title: string;
  /** The count sentence ("2 fields need your attention"). */
  description: string;
  items: TErrorSummaryItem[];
  /**
   * Which failed submission this is. Each new value (after the first render) moves focus here and
   * renders the alert afresh, so a second failed attempt with the same errors is announced again.
   */
  attempt: number;
};

/** The label that names a field: scrolled into view with it, since a question's label sits above it. */
const labelOf = (field: HTMLElement) => (field.id ? document.querySelector<HTMLElement>(`label[for="${CSS.escape(field.id)}"]`) : null);

/**
 * The GOV.UK error summary: a box at the top of the form that names each error as a link to its
 * field. Rendered by the server after a failed post without JavaScript, where autoFocus puts the
 * page load's focus here; with JavaScript, each failed submit moves focus here.
 */
export const ErrorSummary = ({ title, description, items, attempt }: TErrorSummaryProps) => {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // Attempt 0 is the page as loaded, focused by autoFocus: taken again only if focus was lost (a
    // render that replaced the page), never from where the person has since moved it.
    if (attempt > 0 || document.activeElement === document.body) ref.current?.focus();
  }, [attempt]);

  if (items.length === 0) return null;

  // Without JavaScript the link is a plain fragment link, and the browser focuses the field. With
  // it, the label comes into view too, not only the field under it.
  const focusField = (event: MouseEvent<HTMLAnchorElement>, fieldId: string) => {
    const field = document.getElementById(fieldId);
    if (!field) return;
    event.preventDefault();
    (labelOf(field) ?? field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  };

  return (
    // The box takes focus; the alert inside it speaks. Only the alert is a live region (no
    // aria-live around the inline errors), so one failed submit is announced once.
    <div ref={ref} className="error-summary" tabIndex={-1} autoFocus={attempt === 0}>
      <div role="alert" key={attempt}>
        <h2 className="error-summary-title">{title}</h2>
        <p>{description}</p>
        <ul className="error-summary-list">
          {items.map(({ fieldId, message }) => (
            <li key={fieldId}>
              <a href={`#${fieldId}`} onClick={(event) => focusField(event, fieldId)}>
                {message}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
};
