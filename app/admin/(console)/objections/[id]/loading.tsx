import { Skeleton } from "@/components/ui/skeleton";

const ObjectionDetailLoading = () => (
  <div role="status" aria-label="Loading the objection">
    <Skeleton className="mb-6 h-8 w-64" />
    <div className="grid gap-4 lg:grid-cols-2">
      <Skeleton className="h-40" />
      <Skeleton className="h-40" />
    </div>
    <Skeleton className="mt-4 h-32" />
    <Skeleton className="mt-4 h-64" />
  </div>
);

export default ObjectionDetailLoading;
