import { formatDateTime } from "@/components/admin/objection-detail/format";

/** A moment on the objection page, or a dash that screen readers read as "none". */
export const Time = ({ date }: { date: Date | null }) =>
  date ? (
    <time dateTime={date.toISOString()}>{formatDateTime(date)}</time>
  ) : (
    <span aria-label="none">—</span>
  );
