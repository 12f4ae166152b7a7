"use client";

import { FileWarning } from "lucide-react";
import { useState } from "react";

import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { ReasonField } from "@/components/admin/reason-field";
import { ADDRESSES_NOTE } from "@/lib/admins/masking";
import { CSV_REASON_MAX, ZCsvWithAddresses } from "@/lib/objections/download-schema";

/**
 * The CSV with every address in full: a native form that posts the reason to the download route (a
 * file answer, so the page stays). The same schema as the route checks the reason first.
 */
export const CsvWithAddressesDialog = ({ action }: { action: string }) => {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) setError(undefined);
      }}
    >
      <DialogTrigger asChild>
        <Button type="button" variant="secondary">
          <FileWarning className="h-4 w-4" aria-hidden />
          CSV with addresses…
        </Button>
      </DialogTrigger>
      <DialogContent title="Download a CSV with addresses" description={`The file holds every address in these filters in full. ${ADDRESSES_NOTE}`}>
        <form
          method="post"
          action={action}
          noValidate
          onSubmit={(event) => {
            const parsed = ZCsvWithAddresses.safeParse({ reason });
            if (!parsed.success) {
              event.preventDefault();
              setError(parsed.error.issues[0]?.message);
              return;
            }
            // The browser has the post under way and keeps the page: close once it has the form.
            setTimeout(() => {
              setOpen(false);
              setReason("");
            }, 0);
          }}
        >
          <ReasonField id="csv-reason" label="Why do you need the addresses? (kept in the audit log)" value={reason} onChange={setReason} maxLength={CSV_REASON_MAX} error={error} />
          <div className="mt-4 flex flex-wrap justify-end gap-2">
            <DialogClose asChild>
              <Button type="button" variant="secondary" size="sm">
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" size="sm">
              Download with addresses
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
};
