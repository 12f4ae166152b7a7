import Link from "next/link";
import type { ComponentProps } from "react";

/**
 * A link from one row of a table or list to the record it names. It does not prefetch: a page of
 * 50 rows would otherwise ask the server for 50 dynamic pages each time it is shown, and Next 16.4
 * commits a link clicked while its prefetch is still in flight with no <title> (the tab stays
 * unnamed), which a reviewer working down a queue does at once.
 */
export const RowLink = (props: Omit<ComponentProps<typeof Link>, "prefetch">) => <Link {...props} prefetch={false} />;
