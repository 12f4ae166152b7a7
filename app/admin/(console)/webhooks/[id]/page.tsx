import type { Metadata } from "next";
import Link from "next/link";

import {
  removeWebhookEndpointAction,
  replayFailedWebhookDeliveriesAction,
  replayWebhookDeliveryAction,
  rotateWebhookSecretAction,
  sendTestWebhookAction,
} from "@/app/admin/(console)/webhooks/actions";
import { DeliveriesTable } from "@/app/admin/(console)/webhooks/[id]/_components/deliveries-table";
import { EndpointActions, type TEndpointActions } from "@/app/admin/(console)/webhooks/[id]/_components/endpoint-actions";
import { EndpointState } from "@/app/admin/(console)/webhooks/_components/endpoint-state";
import { ConsoleTime } from "@/components/admin/console-time";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { orNotFound } from "@/lib/errors/or-not-found";
import { ZDeliveriesBefore } from "@/lib/webhooks/schema";
import { webhookEndpointPage } from "@/lib/webhooks/webhook-endpoint-page";

export const metadata: Metadata = { title: "Webhook endpoint" };

const ACTIONS: TEndpointActions = {
  sendTest: sendTestWebhookAction,
  replayFailed: replayFailedWebhookDeliveriesAction,
  rotateSecret: rotateWebhookSecretAction,
  remove: removeWebhookEndpointAction,
};

const WebhookEndpointPage = async ({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) => {
  const admin = await requireAdminPage("admin");
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const before = ZDeliveriesBefore.parse(query.before);
  const { endpoint, deliveries, nextBefore } = await orNotFound(webhookEndpointPage({ actor: admin, id, before }));
  const href = `/admin/webhooks/${endpoint.id}`;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/webhooks" className="text-blue-800 underline-offset-2 hover:underline">
          Webhooks
        </Link>
      </p>
      <PageHeader
        title={endpoint.url}
        description={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <EndpointState failingSince={endpoint.failingSince} disabledAt={endpoint.disabledAt} />
            <span className="font-mono text-xs">{endpoint.events.join(", ")}</span>
            <span>
              added <ConsoleTime value={endpoint.createdAt} />
            </span>
          </span>
        }
      />
      {endpoint.disabledAt ? (
        <p className="mb-4 text-sm text-slate-700">
          Nothing has been sent since it was disabled, and objections made since were not queued for it: the nightly export lists them. “Replay all failed” enables it again.
        </p>
      ) : null}
      <EndpointActions endpointId={endpoint.id} url={endpoint.url} actions={ACTIONS} />
      <h2 className="mb-2 text-base font-semibold text-slate-900">Recent deliveries</h2>
      <DeliveriesTable endpointId={endpoint.id} deliveries={deliveries} replay={replayWebhookDeliveryAction} isFirstPage={!before} />
      <KeysetPager firstHref={href} nextHref={nextBefore ? `${href}?before=${nextBefore}` : null} shown={deliveries.length} isFirstPage={!before} />
    </>
  );
};

export default WebhookEndpointPage;
