import { Users } from "lucide-react";
import Link from "next/link";

import { Time } from "@/components/admin/objection-detail/detail-time";
import { SOURCE_LABELS, STATUS_LABELS } from "@/components/admin/objections/objection-labels";
import { Card, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Td, Th } from "@/components/ui/table";
import type { TObjectionDetail } from "@/lib/objections/admin/get-objection-detail";

// This table's headers are sentence case and its cells stay on one line.
const TH = "font-medium";
const TD = "whitespace-nowrap";

/** Other objections sent from the same email address, each linked to its own page. */
export const RelatedCard = ({
  related,
}: {
  related: TObjectionDetail["related"];
}) => (
  <Card aria-labelledby="related-title" className="mt-4">
    <CardTitle id="related-title">
      Other objections with the same email
    </CardTitle>
    {related.length === 0 ? (
      <div className="mt-3">
        <EmptyState icon={Users} title="None" />
      </div>
    ) : (
      <div className="mt-3 overflow-x-auto rounded-md border border-slate-200" tabIndex={0} role="region" aria-label="Other objections with the same email">
        <table className="w-full text-left text-sm wrap-normal">
          <caption className="sr-only">Other objections with the same email</caption>
          <thead>
            <tr>
              <Th className={TH}>Objection</Th>
              <Th className={TH}>Status</Th>
              <Th className={TH}>Source</Th>
              <Th className={TH}>Country</Th>
              <Th className={TH}>Effective since</Th>
              <Th className={TH}>Matched</Th>
            </tr>
          </thead>
          <tbody>
            {related.map((other) => (
              <tr key={other.id}>
                <Td className={TD}>
                  <Link
                    href={`/admin/objections/${other.id}`}
                    className="text-blue-800 underline hover:text-blue-900"
                  >
                    {other.reference}
                  </Link>
                </Td>
                <Td className={TD}>{STATUS_LABELS[other.status]}</Td>
                <Td className={TD}>{SOURCE_LABELS[other.source] ?? other.source}</Td>
                <Td className={TD}>{other.country}</Td>
                <Td className={TD}>
                  <Time date={other.effectiveAt} />
                </Td>
                <Td className={TD}>{other.matched ? "Yes" : "No"}</Td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
  </Card>
);
