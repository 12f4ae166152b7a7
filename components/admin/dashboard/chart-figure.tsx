import type { ReactNode } from "react";

import { Card, CardDescription, CardTitle } from "@/components/ui/card";

/**
 * A chart with an accessible name and its figures as a table for screen readers: the drawing is one
 * image (role="img"), and the table below it, visually hidden, carries the same numbers.
 */
export const ChartFigure = ({
  title,
  description,
  label,
  columns,
  rows,
  children,
}: {
  title: string;
  description?: string;
  /** What the image shows, in one sentence with its main figures. */
  label: string;
  columns: [string, string];
  rows: { label: string; value: string }[];
  children: ReactNode;
}) => (
  <Card className="min-w-0">
    <figure>
      <figcaption>
        <CardTitle>{title}</CardTitle>
        {description ? <CardDescription>{description}</CardDescription> : null}
      </figcaption>
      <div role="img" aria-label={label} className="mt-4">
        {children}
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{columns[0]}</th>
            <th scope="col">{columns[1]}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              <td>{row.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  </Card>
);
