import { Skeleton } from "@/components/ui/skeleton";

/** What /admin shows while its two reads are on their way. */
export const DashboardSkeleton = () => (
  <div className="space-y-6" aria-busy="true">
    <p className="sr-only" role="status">
      Loading the dashboard…
    </p>
    <div className="grid grid-cols-1 gap-3 min-[420px]:grid-cols-2 lg:grid-cols-4">
      {Array.from({ length: 7 }, (_, index) => (
        <Skeleton key={index} className="h-24" />
      ))}
    </div>
    <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
      {Array.from({ length: 4 }, (_, index) => (
        <Skeleton key={index} className="h-64" />
      ))}
    </div>
    <Skeleton className="h-72" />
  </div>
);
