import { ConsoleTime } from "@/components/admin/console-time";
import { Badge } from "@/components/ui/badge";

/** An endpoint's state in words: delivering, failing since when, or disabled (after 3 days of failing). */
export const EndpointState = ({ failingSince, disabledAt }: { failingSince: Date | string | null; disabledAt: Date | string | null }) => {
  const since = disabledAt ?? failingSince;
  if (!since) return <Badge tone="success">Delivering</Badge>;
  return (
    <span className="flex flex-wrap items-center gap-1.5">
      {disabledAt ? <Badge tone="danger">Disabled</Badge> : <Badge tone="warning">Failing</Badge>}
      <span className="text-sm text-slate-600">
        since <ConsoleTime value={since} />
      </span>
    </span>
  );
};
