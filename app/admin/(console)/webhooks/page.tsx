import { Webhook } from "lucide-react";
import type { Metadata } from "next";

import { AddWebhookDialog } from "@/app/admin/(console)/webhooks/_components/add-webhook-dialog";
import { EndpointState } from "@/app/admin/(console)/webhooks/_components/endpoint-state";
import { ConsoleTime } from "@/components/admin/console-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { RowLink } from "@/components/ui/row-link";
import { Td, Th } from "@/components/ui/table";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { listWebhookEndpoints } from "@/lib/webhooks/list-webhook-endpoints";

export const metadata: Metadata = { title: "Webhooks" };

const WebhooksPage = async () => {
  await requireAdminPage("admin");
  const endpoints = await listWebhookEndpoints();
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="The pipeline learns of each objection and withdrawal within seconds, signed, and retried for up to 3 days while its receiver fails. The nightly export stays the list of record."
        actions={<AddWebhookDialog />}
      />
      {endpoints.length === 0 ? (
        <EmptyState icon={Webhook} title="No endpoints yet">
          Add the pipeline&rsquo;s receiver to push it every objection as it takes effect. The platform can add one through the API too (docs/webhooks.md).
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Webhook endpoints, oldest first</caption>
            <thead>
              <tr>
                <Th>Receiver</Th>
                <Th>Events</Th>
                <Th>State</Th>
                <Th>Added</Th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((endpoint) => (
                <tr key={endpoint.id}>
                  <Td className="max-w-xs break-all">
                    <RowLink href={`/admin/webhooks/${endpoint.id}`} className="font-medium text-blue-800 underline-offset-2 hover:underline">
                      {endpoint.url}
                    </RowLink>
                  </Td>
                  <Td className="font-mono text-xs">{endpoint.events.join(", ")}</Td>
                  <Td>
                    <EndpointState failingSince={endpoint.failingSince} disabledAt={endpoint.disabledAt} />
                  </Td>
                  <Td>
                    <ConsoleTime value={endpoint.createdAt} />
                  </Td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
};

export default WebhooksPage;
