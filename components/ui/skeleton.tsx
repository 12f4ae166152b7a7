import { cn } from "@/components/ui/cn";

/** A placeholder while a part of the page loads. */
export const Skeleton = ({ className }: { className?: string }) => <div aria-hidden className={cn("animate-pulse rounded-md bg-slate-200", className)} />;
