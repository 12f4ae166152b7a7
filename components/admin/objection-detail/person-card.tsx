import type { TObjectionDetailActions } from "@/components/admin/objection-detail/objection-detail-actions";
import { RevealPersonalData } from "@/components/admin/objection-detail/reveal-personal-data";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import type { TObjectionDetail } from "@/lib/objections/admin/get-objection-detail";

/** Who objected, masked until a reviewer reveals it. */
export const PersonCard = ({
  detail,
  reveal,
}: {
  detail: TObjectionDetail;
  reveal: TObjectionDetailActions["reveal"];
}) => (
  <Card aria-labelledby="person-title">
    <CardTitle id="person-title">Person</CardTitle>
    <CardDescription>
      Personal data is masked until a reviewer reveals it.
    </CardDescription>
    <div className="mt-3">
      <RevealPersonalData
        objectionId={detail.id}
        reveal={reveal}
        maskedEmail={detail.maskedEmail}
        hasReason={detail.hasReason}
        matched={detail.matched}
        canReveal={detail.can.reveal}
      />
    </div>
  </Card>
);
