import { Skeleton } from "@/components/ui/skeleton";

/** The loading state of a console page: its header and a table's rows. */
export const ListSkeleton = ({ rows = 6 }: { rows?: number }) => (
  <div role="status" aria-label="Loading">
    <Skeleton className="mb-2 h-8 w-48" />
    <Skeleton className="mb-6 h-4 w-80 max-w-full" />
    <div className="space-y-2">
      {Array.from({ length: rows }, (_, row) => (
        <Skeleton key={row} className="h-10 w-full" />
      ))}
    </div>
  </div>
);
