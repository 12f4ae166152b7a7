"use client";

import { useEffect } from "react";

// Set by a form just before it hands over to the page that answers it (a refresh, a navigation),
// read once by that page. Module state, not storage: it must not outlive this page's JavaScript,
// so a reload or a link opened later lands at the top of the page as usual.
let pendingTarget: string | undefined;

/** Asks the next page to put focus on the element with this id once it appears. */
export const focusOnArrival = (id: string) => {
  pendingTarget = id;
};

/**
 * Moves focus to element `id` (a heading with tabIndex={-1}) when a form asked for it: the page
 * changed under the person's focus, and a screen reader starts reading where the news is.
 * Without JavaScript a post loads a whole new page, which starts at the top anyway.
 */
export const FocusOnArrival = ({ id }: { id: string }) => {
  useEffect(() => {
    if (pendingTarget !== id) return;
    pendingTarget = undefined;
    document.getElementById(id)?.focus();
  }, [id]);
  return null;
};
