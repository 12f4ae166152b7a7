import { ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";

/**
 * Keyset paging: "next" carries the last row's key, so page 10,000 costs what page 1 costs.
 * "First page" rather than numbered pages: counting 1,000,000 filtered rows would cost more than the page.
 */
export const KeysetPager = ({ firstHref, nextHref, shown, isFirstPage }: { firstHref: string; nextHref: string | null; shown: number; isFirstPage: boolean }) => (
  <nav aria-label="Pages" className="mt-4 flex items-center justify-between gap-3 text-sm">
    <p className="text-slate-600">{shown === 0 ? "No rows" : `Showing ${shown} row${shown === 1 ? "" : "s"}`}</p>
    <div className="flex gap-2">
      {isFirstPage ? null : (
        <Link href={firstHref} className="inline-flex h-9 items-center gap-1 rounded-md border border-slate-300 bg-white px-3 hover:bg-slate-100">
          <ChevronLeft className="h-4 w-4" aria-hidden />
          First page
        </Link>
      )}
      {nextHref ? (
        <Link href={nextHref} rel="next" className="inline-flex h-9 items-center gap-1 rounded-md border border-slate-300 bg-white px-3 hover:bg-slate-100">
          Next page
          <ChevronRight className="h-4 w-4" aria-hidden />
        </Link>
      ) : null}
    </div>
  </nav>
);
